"""The outbox as a repository: replies stored in the update's transaction before sending."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from bot.messages.replies import Replies, Reply
from bot.storage import queue
from bot.storage.queue import Queued


class Outbox(Protocol):
    """Messages waiting to be sent, each stored before it goes."""

    def queue(self, chat_id: int, replies: Sequence[Reply], parent_id: int | None) -> list[Queued]:
        """Store replies to one chat (on behalf of a parent, or none); return them queued."""
        ...


class SqlOutbox:
    """The outbox table on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def queue(self, chat_id: int, replies: Sequence[Reply], parent_id: int | None) -> list[Queued]:
        """Store replies to one chat; the caller hands them to the sender after commit."""
        return queue.queue(self._db, Replies(chat_id, list(replies)), parent_id)
