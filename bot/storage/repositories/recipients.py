"""Staff chats in the database: who receives a school's families."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import Staff


class Recipients(Protocol):
    """The staff chats that receive what the bot has to say about a school's families."""

    def receiving_chats(self, code: str) -> list[int]:
        """Return the chats of the school's staff who can receive its families, each once."""
        ...

    def active_in_chat(self, chat_id: int) -> list[Staff]:
        """Return the staff memberships of a chat not yet marked inactive."""
        ...


class SqlRecipients:
    """Staff chats on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def receiving_chats(self, code: str) -> list[int]:
        """Return the chats of the school's staff who can receive its families, each once."""
        chats = self._db.scalars(
            select(Staff.chat_id)
            .where(
                Staff.school_code == code, Staff.revoked_at.is_(None), Staff.inactive_at.is_(None)
            )
            .order_by(Staff.id)
        ).all()
        return list(dict.fromkeys(chats))

    def active_in_chat(self, chat_id: int) -> list[Staff]:
        """Return the staff memberships of a chat not yet marked inactive."""
        return list(
            self._db.scalars(
                select(Staff).where(Staff.chat_id == chat_id, Staff.inactive_at.is_(None))
            ).all()
        )
