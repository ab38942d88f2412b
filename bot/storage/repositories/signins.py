"""One-time sign-in links to the dashboard, the sessions they start, and the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.storage.models import AuditEntry, SignInLink


class SignIns(Protocol):
    """One-time sign-in links to the dashboard."""

    def add(self, token_hash: str, user_id: int, now: datetime, expires_at: datetime) -> None:
        """Store a new link by the hash of its secret."""
        ...

    def use(self, token_hash: str, now: datetime) -> int | None:
        """Mark an unused, unexpired link used and return its user; None for any other."""
        ...

    def active(self, token_hash: str, since: datetime) -> int | None:
        """Return the user of the session a link started after `since`, unless it ended."""
        ...

    def end(self, token_hash: str, now: datetime) -> None:
        """End the session a link started (signing out)."""
        ...

    def audit(self, user_id: int, action: str, subject: str, now: datetime) -> None:
        """Record that a user looked at or exported something."""
        ...


class SqlSignIns:
    """One-time sign-in links and the audit trail, on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, token_hash: str, user_id: int, now: datetime, expires_at: datetime) -> None:
        """Store a new link; the user's links never used that expired are cleared."""
        self._db.execute(
            delete(SignInLink).where(
                SignInLink.telegram_user_id == user_id,
                SignInLink.expires_at < now,
                SignInLink.used_at.is_(None),
            )
        )
        self._db.add(
            SignInLink(
                token_hash=token_hash,
                telegram_user_id=user_id,
                created_at=now,
                expires_at=expires_at,
            )
        )

    def use(self, token_hash: str, now: datetime) -> int | None:
        """Mark an unused, unexpired link used and return its user; None for any other.

        One UPDATE with the conditions in its WHERE: of two requests with the same link,
        exactly one changes the row, on either database.
        """
        changed = self._db.execute(
            update(SignInLink)
            .where(
                SignInLink.token_hash == token_hash,
                SignInLink.used_at.is_(None),
                SignInLink.expires_at > now,
            )
            .values(used_at=now)
            .returning(SignInLink.telegram_user_id)
        ).first()
        return None if changed is None else int(changed[0])

    def active(self, token_hash: str, since: datetime) -> int | None:
        """Return the user of the session a link started after `since`, unless it ended."""
        found = self._db.scalar(
            select(SignInLink.telegram_user_id).where(
                SignInLink.token_hash == token_hash,
                SignInLink.used_at > since,
                SignInLink.ended_at.is_(None),
            )
        )
        return None if found is None else int(found)

    def end(self, token_hash: str, now: datetime) -> None:
        """End the session a link started (signing out)."""
        self._db.execute(
            update(SignInLink).where(SignInLink.token_hash == token_hash).values(ended_at=now)
        )

    def audit(self, user_id: int, action: str, subject: str, now: datetime) -> None:
        """Record that a user looked at or exported something."""
        self._db.add(AuditEntry(telegram_user_id=user_id, action=action, subject=subject, at=now))

    def trail(self, limit: int) -> Iterable[AuditEntry]:
        """Return the newest audit entries."""
        return self._db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
