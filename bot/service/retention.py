"""Keep answers no longer than needed: erase families helped more than RETENTION_DAYS ago."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.storage.models import MailMessage, OutboxMessage, ParentSession, Response

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Erased:
    """How much one retention run erased: counts only."""

    families: int
    messages: int


def erase_expired(sessions: sessionmaker[Session], clock: Clock, days: int) -> Erased:
    """Erase the answers of families helped long enough ago, and old sent messages."""
    cutoff = clock.now() - timedelta(days=days)
    with sessions.begin() as db:
        session_ids = list(
            db.scalars(
                select(Response.session_id).where(
                    Response.followup_status == "helped", Response.followup_at <= cutoff
                )
            )
        )
        if session_ids:
            # The session holds the same answers in its state: both go.
            db.execute(delete(Response).where(Response.session_id.in_(session_ids)))
            db.execute(delete(ParentSession).where(ParentSession.id.in_(session_ids)))
        # Sent digests and alerts carry families' answers in their text: they go too.
        outbox = db.execute(
            delete(OutboxMessage).where(
                OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at <= cutoff
            )
        )
        mails = db.execute(
            delete(MailMessage).where(
                MailMessage.sent_at.is_not(None), MailMessage.sent_at <= cutoff
            )
        )
        messages = (outbox.rowcount or 0) + (mails.rowcount or 0)  # type: ignore[attr-defined]
    log.info(
        "retention: erased %d families helped over %d days ago and %d old sent messages",
        len(session_ids),
        days,
        messages,
    )
    return Erased(len(session_ids), messages)
