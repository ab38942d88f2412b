"""The mail outbox in the database: claiming e-mails, reading them, recording the outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.storage.models import MailMessage


class MailOutbox(Protocol):
    """E-mails waiting to be sent, each claimed by one sender at a time."""

    def add(self, mail: MailMessage) -> None:
        """Store an e-mail for the mail sender."""
        ...

    def claim(
        self, now: datetime, reclaim_before: datetime, digest_id: int | None, limit: int
    ) -> list[MailMessage]:
        """Claim the unsent e-mails that are due (or only a digest's), counting an attempt."""
        ...

    def current(self, mail_id: int) -> MailMessage | None:
        """Return the e-mail as it is stored now; None when it is gone."""
        ...

    def finish(self, mail_id: int, values: dict[str, Any]) -> None:
        """Record what became of an attempt (sent, given up, or when to retry)."""
        ...


class SqlMailOutbox:
    """The mail outbox on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, mail: MailMessage) -> None:
        """Store an e-mail for the mail sender."""
        self._db.add(mail)

    def claim(
        self, now: datetime, reclaim_before: datetime, digest_id: int | None, limit: int
    ) -> list[MailMessage]:
        """Claim the unsent e-mails that are due (or only a digest's), counting an attempt.

        Rows another process holds locked are skipped: two senders never share one.
        """
        query = (
            select(MailMessage)
            .where(MailMessage.sent_at.is_(None))
            .where(or_(MailMessage.claimed_at.is_(None), MailMessage.claimed_at < reclaim_before))
            .where(or_(MailMessage.retry_at.is_(None), MailMessage.retry_at <= now))
            .order_by(MailMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if digest_id is not None:
            query = query.where(MailMessage.digest_id == digest_id)
        rows = list(self._db.scalars(query))
        for row in rows:
            row.claimed_at = now
            row.attempts += 1
        return rows

    def current(self, mail_id: int) -> MailMessage | None:
        """Return the e-mail as it is stored now; None when it is gone."""
        return self._db.get(MailMessage, mail_id)

    def finish(self, mail_id: int, values: dict[str, Any]) -> None:
        """Record what became of an attempt (sent, given up, or when to retry)."""
        self._db.execute(update(MailMessage).where(MailMessage.id == mail_id).values(**values))
