"""Unfinished sessions that may get their one reminder, in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import Parent, ParentSession


class Unfinished(Protocol):
    """Sessions a parent started and left, and who may be reminded of them."""

    def to_remind(self, idle_since: datetime, limit: int) -> list[tuple[ParentSession, Parent]]:
        """Return active sessions untouched since then whose parent may get a reminder, locked."""
        ...


class SqlUnfinished:
    """Unfinished sessions on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def to_remind(self, idle_since: datetime, limit: int) -> list[tuple[ParentSession, Parent]]:
        """Return active sessions untouched since then whose parent may get a reminder.

        Never reminded, the parent chose a language, did not turn reminders off and did
        not block the bot; the sessions stay locked (others skip them) until the commit.
        """
        rows = self._db.execute(
            select(ParentSession, Parent)
            .join(Parent, Parent.id == ParentSession.parent_id)
            .where(
                ParentSession.status == "active",
                ParentSession.reminded_at.is_(None),
                ParentSession.updated_at <= idle_since,
                Parent.reminders_off_at.is_(None),
                Parent.blocked_at.is_(None),
                Parent.language.is_not(None),
            )
            .order_by(ParentSession.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=ParentSession)
        )
        return [(session, parent) for session, parent in rows]
