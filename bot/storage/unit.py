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

from bot.storage.repositories.outbox import Outbox, SqlOutbox
from bot.storage.repositories.parents import Parents, SqlParents
from bot.storage.repositories.translations import SqlTranslationRequests, TranslationRequests
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
    def outbox(self) -> Outbox:
        """Messages stored in this transaction, sent once it has committed."""
        ...

    @property
    def translations(self) -> TranslationRequests:
        """Free-text answers waiting for their translation."""
        ...


class SqlUnitOfWork:
    """The unit of work on one SQLAlchemy session inside one transaction."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self.updates = SqlUpdateLog(db)
        self.parents = SqlParents(db)
        self.outbox = SqlOutbox(db)
        self.translations = SqlTranslationRequests(db)

    def flush(self) -> None:
        """Send pending writes now (ids for new rows); the transaction stays open."""
        self.db.flush()


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
