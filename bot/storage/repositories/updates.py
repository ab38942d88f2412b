"""The record of updates already taken."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from bot.storage import store


class UpdateLog(Protocol):
    """Updates already taken: Telegram may deliver one twice."""

    def seen(self, update_id: int) -> bool:
        """Tell whether the update took effect before."""
        ...

    def record(self, update_id: int) -> None:
        """Record the update in this transaction (a duplicate fails on the primary key)."""
        ...


class SqlUpdateLog:
    """Updates already taken, in the database."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def seen(self, update_id: int) -> bool:
        """Tell whether the update took effect before."""
        return store.already_processed(self._db, update_id)

    def record(self, update_id: int) -> None:
        """Record the update in this transaction, so its effect and the record commit together."""
        store.mark_processed(self._db, update_id)
