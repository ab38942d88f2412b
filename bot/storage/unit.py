"""One unit of work: one open transaction and the repositories that read and write on it.

Use cases receive a unit of work, never a session factory: a second connection inside a
transaction (on SQLite it waits for the write lock its own caller holds) cannot be written.
Tests hand the same use cases a fake unit of work (tests/fakes/units.py) that keeps
everything in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.storage.repositories.broadcasts import BroadcastDrafts, SqlBroadcasts
from bot.storage.repositories.conversations import Conversations, SqlConversations
from bot.storage.repositories.dashboard import Needs, SqlDashboard, SqlNeeds, SqlNeedsFilling
from bot.storage.repositories.digests import Digests, SqlDigests
from bot.storage.repositories.exports import ExportedResponses, SqlExportedResponses
from bot.storage.repositories.flows import SqlStoredFlows, StoredFlows
from bot.storage.repositories.followup import Families, SqlFamilies
from bot.storage.repositories.mail import MailOutbox, SqlMailOutbox
from bot.storage.repositories.outbox import Outbox, SqlOutbox
from bot.storage.repositories.outbox_rows import OutboxRows, SqlOutboxRows
from bot.storage.repositories.parents import Parents, SqlParents
from bot.storage.repositories.recalls import Recalls, SqlRecalls
from bot.storage.repositories.recipients import Recipients, SqlRecipients
from bot.storage.repositories.reminders import SqlUnfinished, Unfinished
from bot.storage.repositories.retention import Expired, SqlExpired
from bot.storage.repositories.schools import Schools, SqlSchools
from bot.storage.repositories.signins import SignIns, SqlSignIns
from bot.storage.repositories.staff import SqlStaffMembers, StaffMembers
from bot.storage.repositories.translations import SqlTranslations, Translations
from bot.storage.repositories.updates import SqlUpdateLog, UpdateLog


class UnitOfWork(Protocol):
    """What a use case may touch while its transaction is open."""

    @property
    def updates(self) -> UpdateLog:
        """The record of updates already taken (each takes effect once)."""
        ...

    @property
    def parents(self) -> Parents:
        """Parents, their sessions in progress and their finished responses."""
        ...

    @property
    def flows(self) -> StoredFlows:
        """Every flow revision served, so a session finishes on the one it started on."""
        ...

    @property
    def schools(self) -> Schools:
        """The schools, their staff links and digest settings."""
        ...

    @property
    def staff(self) -> StaffMembers:
        """The staff who joined a school by its link."""
        ...

    @property
    def families(self) -> Families:
        """The schools' families as staff follow them up."""
        ...

    # Digests, e-mail, staff chats, recalling messages, reminders and retention.
    @property
    def digests(self) -> Digests: ...
    @property
    def mail(self) -> MailOutbox: ...
    @property
    def recipients(self) -> Recipients: ...
    @property
    def recalls(self) -> Recalls: ...
    @property
    def unfinished(self) -> Unfinished: ...
    @property
    def expired(self) -> Expired: ...

    @property
    def outbox_rows(self) -> OutboxRows:
        """The outbox's rows once queued: claims, sweeps, what was sent or given up."""
        ...

    @property
    def exported(self) -> ExportedResponses:
        """The finished responses as the export reads them, in columns and rows."""
        ...

    @property
    def translations(self) -> Translations:
        """Translations of free-text answers: asked for, done, failed, read back."""
        ...

    @property
    def outbox(self) -> Outbox:
        """Messages stored in this transaction, sent once it has committed."""
        ...

    @property
    def broadcasts(self) -> BroadcastDrafts:
        """Staff's messages to all their families, from /bericht to the confirm button."""
        ...

    @property
    def needs(self) -> Needs:
        """The needs each response declared, which the dashboard counts."""
        ...

    @property
    def signins(self) -> SignIns:
        """One-time sign-in links to the dashboard, and its audit trail."""
        ...

    @property
    def conversations(self) -> Conversations:
        """What schools and families wrote to each other."""
        ...


class SqlUnitOfWork:
    """The unit of work on one SQLAlchemy session inside one transaction."""

    def __init__(self, db: Session) -> None:
        self._db = db
        self.updates = SqlUpdateLog(db)
        self.parents = SqlParents(db)
        self.flows = SqlStoredFlows(db)
        self.schools = SqlSchools(db)
        self.staff = SqlStaffMembers(db)
        self.families = SqlFamilies(db)
        self.digests = SqlDigests(db)
        self.mail = SqlMailOutbox(db)
        self.recipients = SqlRecipients(db)
        self.recalls = SqlRecalls(db)
        self.unfinished = SqlUnfinished(db)
        self.expired = SqlExpired(db)
        self.outbox_rows = SqlOutboxRows(db)
        self.exported = SqlExportedResponses(db)
        self.translations = SqlTranslations(db)
        self.outbox = SqlOutbox(db)
        self.broadcasts = SqlBroadcasts(db)
        self.needs = SqlNeeds(db)
        self.signins = SqlSignIns(db)
        # The web dashboard's counts: read by it alone, so not in the protocol.
        self.dashboard = SqlDashboard(db)
        self.needs_filling = SqlNeedsFilling(db)
        self.conversations = SqlConversations(db)

    def flush(self) -> None:
        """Send pending writes now (ids for new rows); the transaction stays open."""
        self._db.flush()


class Transactions:
    """Opens units of work; the only way a use case reaches the database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @contextmanager
    def begin(self) -> Iterator[SqlUnitOfWork]:
        """Open a transaction that commits when the block ends, and rolls back on error."""
        with self._sessions.begin() as db:
            yield SqlUnitOfWork(db)

    @contextmanager
    def read(self) -> Iterator[SqlUnitOfWork]:
        """Open a session for reading only; nothing is committed."""
        with self._sessions() as db:
            yield SqlUnitOfWork(db)
