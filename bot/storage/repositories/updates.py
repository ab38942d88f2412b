"""The record of updates already taken."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bot.storage.models import Base, ProcessedUpdate, utcnow

# Built once, on every update's path: a Core insert skips the ORM's bulk-insert
# bookkeeping that these write-only rows never need.
_RECORD_UPDATE = insert(Base.metadata.tables[ProcessedUpdate.__tablename__])


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
        return self._db.get(ProcessedUpdate, update_id) is not None

    def record(self, update_id: int) -> None:
        """Record the update in this transaction, so its effect and the record commit together.

        Two workers racing on one update both get here; the second fails on the primary
        key, at once, and its whole transaction rolls back.
        """
        self._db.connection().execute(
            _RECORD_UPDATE, {"update_id": update_id, "processed_at": utcnow()}
        )
