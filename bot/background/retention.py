"""Keep nothing that identifies a family longer than needed: every rule, and the nightly erase.

Each kind of row that can name a family has its end here, and nowhere else:

- a response (and its session and translations) RETENTION_DAYS after it was marked
  helped, or RETENTION_OPEN_DAYS after it was sent when it never was: a school that
  never follows up, or a school that is not in the list, does not keep it for ever;
- an unfinished or declined session, with its partial answers, RETENTION_SESSION_DAYS
  after its last answer; a parent with nothing left, as long after they first came;
- a stored message (digest parts, alerts, replies) and an e-mail RETENTION_MESSAGE_DAYS
  after it was made, sent or not, and the record of handled updates as long.

The log gets counts only, never whose.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Delete, and_, delete, exists, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.messages.followup import FollowUpStatus
from bot.outbox.recall import DigestRewriter, recall
from bot.storage.models import (
    MailMessage,
    OutboxMessage,
    Parent,
    ParentSession,
    ProcessedUpdate,
    Response,
    Translation,
)

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetentionRules:
    """How many days each kind of row that can identify a family is kept."""

    helped_days: int = 90
    open_days: int = 365
    session_days: int = 30
    message_days: int = 30

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionRules:
        """Return the rules the installation set (RETENTION_*)."""
        return cls(
            helped_days=settings.retention_days,
            open_days=settings.retention_open_days,
            session_days=settings.retention_session_days,
            message_days=settings.retention_message_days,
        )


@dataclass(frozen=True, slots=True)
class Erased:
    """How much one retention run erased: counts only."""

    families: int
    sessions: int
    parents: int
    messages: int


def erase_expired(
    sessions: sessionmaker[Session],
    clock: Clock,
    rules: RetentionRules,
    digests: DigestRewriter | None = None,
) -> Erased:
    """Erase every row whose time is up, in one transaction; log how many of each.

    An unsent digest that also carries families whose time is not up is rewritten
    without the erased ones (by `digests`), so the others still reach their school.
    """
    now = clock.now()
    with sessions.begin() as db:
        families = _responses(db, now, rules, digests)
        unfinished = _sessions(db, now - timedelta(days=rules.session_days))
        parents = _parents(db, now - timedelta(days=rules.session_days))
        messages = _messages(db, now - timedelta(days=rules.message_days))
    erased = Erased(families, unfinished, parents, messages)
    log.info(
        "retention: erased %d families, %d unfinished sessions, %d parents with nothing left "
        "and %d old messages",
        erased.families,
        erased.sessions,
        erased.parents,
        erased.messages,
    )
    return erased


def _responses(
    db: Session, now: datetime, rules: RetentionRules, digests: DigestRewriter | None
) -> int:
    """Erase responses helped long enough ago, or never helped and sent long ago."""
    helped = and_(
        Response.followup_status == FollowUpStatus.HELPED,
        Response.followup_at <= now - timedelta(days=rules.helped_days),
    )
    never_helped = and_(
        Response.followup_status != FollowUpStatus.HELPED,
        Response.completed_at <= now - timedelta(days=rules.open_days),
    )
    found = db.execute(select(Response.id, Response.session_id).where(or_(helped, never_helped)))
    rows = found.all()
    if not rows:
        return 0
    # What still waits to be sent about them goes first; the session holds the same
    # answers in its state, and its translations the parent's words: all of it goes.
    recall(db, [response_id for response_id, _ in rows], digests)
    session_ids = [session_id for _, session_id in rows]
    db.execute(delete(Translation).where(Translation.session_id.in_(session_ids)))
    db.execute(delete(Response).where(Response.id.in_([r for r, _ in rows])))
    db.execute(delete(ParentSession).where(ParentSession.id.in_(session_ids)))
    return len(rows)


def _sessions(db: Session, cutoff: datetime) -> int:
    """Erase sessions that never became a response and saw no answer since the cutoff."""
    abandoned = select(ParentSession.id).where(
        ParentSession.updated_at <= cutoff,
        ~exists().where(Response.session_id == ParentSession.id),
    )
    ids = list(db.scalars(abandoned))
    if not ids:
        return 0
    db.execute(delete(Translation).where(Translation.session_id.in_(ids)))
    db.execute(delete(ParentSession).where(ParentSession.id.in_(ids)))
    return len(ids)


def _parents(db: Session, cutoff: datetime) -> int:
    """Forget parents who came before the cutoff and have no session left."""
    statement = delete(Parent).where(
        Parent.created_at <= cutoff,
        ~exists().where(ParentSession.parent_id == Parent.id),
        ~exists().where(Response.parent_id == Parent.id),
    )
    return _count(db, statement)


def _messages(db: Session, cutoff: datetime) -> int:
    """Erase stored messages and e-mails made before the cutoff, and old update records.

    A message still unsent after so long would only confuse whoever got it now.
    """
    outbox = _count(db, delete(OutboxMessage).where(OutboxMessage.created_at <= cutoff))
    mails = _count(db, delete(MailMessage).where(MailMessage.created_at <= cutoff))
    db.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at <= cutoff))
    return outbox + mails


def _count(db: Session, statement: Delete) -> int:
    return int(db.execute(statement).rowcount or 0)  # type: ignore[attr-defined]
