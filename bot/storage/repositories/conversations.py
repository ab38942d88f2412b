"""Conversations between schools and families, in the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.storage.models import (
    ConversationMessage,
    OutboxFamily,
    OutboxMessage,
    Parent,
    Response,
)
from bot.storage.models.conversations import (
    BLOCKED,
    DELIVERED,
    FAILED,
    FORBIDDEN,
    SENDING,
    TRANSLATING,
)


class Conversations(Protocol):
    """The messages between a school and its families."""

    def add(self, message: ConversationMessage) -> ConversationMessage:
        """Store a new message (its id is set)."""
        ...

    def get(self, message_id: int) -> ConversationMessage | None:
        """Return the message with this id."""
        ...

    def take(self, message_id: int) -> ConversationMessage | None:
        """Return the message if it still waits for its translation, locked for this transaction."""
        ...

    def waiting(self, before: datetime, limit: int) -> list[int]:
        """Return the ids of messages left waiting for the translator since before then."""
        ...

    def sent_to(self, chat_id: int, telegram_message_id: int) -> OutboxMessage | None:
        """Return the outbox row Telegram delivered into this chat under this id."""
        ...

    def carried(self, outbox_id: int) -> list[int]:
        """Return the responses (families) an outbox message shows."""
        ...

    def by_outbox(self, outbox_id: int) -> ConversationMessage | None:
        """Return the staff message that outbox row carried to the parent."""
        ...

    def latest(self, parent_id: int, school_code: str | None = None) -> ConversationMessage | None:
        """Return the parent's latest conversation message (with that school), if any."""
        ...

    def parent(self, parent_id: int) -> Parent | None:
        """Return the parent with this id."""
        ...

    def of_parent(self, parent_id: int) -> list[ConversationMessage]:
        """Return all of a parent's conversation messages, oldest first."""
        ...

    def delivered(self, outcomes: Sequence[tuple[int, str | None]]) -> list[ConversationMessage]:
        """Mark the staff messages these outbox outcomes carried; return those changed."""
        ...

    def last_of_families(self, response_ids: Sequence[int]) -> dict[int, ConversationMessage]:
        """Return the latest conversation message of each family (by response id)."""
        ...

    def erase_older_than(self, cutoff: datetime) -> int:
        """Erase messages made before the cutoff; return how many."""
        ...


class SqlConversations:
    """Conversation messages on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, message: ConversationMessage) -> ConversationMessage:
        """Store a new message (its id is set)."""
        self._db.add(message)
        self._db.flush()
        return message

    def get(self, message_id: int) -> ConversationMessage | None:
        """Return the message with this id."""
        return self._db.get(ConversationMessage, message_id)

    def take(self, message_id: int) -> ConversationMessage | None:
        """Return the message if it still waits for its translation, locked for this transaction."""
        return self._db.scalar(
            select(ConversationMessage)
            .where(ConversationMessage.id == message_id)
            .where(ConversationMessage.state == TRANSLATING)
            .with_for_update()
        )

    def waiting(self, before: datetime, limit: int) -> list[int]:
        """Return the ids of messages left waiting for the translator since before then."""
        return list(
            self._db.scalars(
                select(ConversationMessage.id)
                .where(ConversationMessage.state == TRANSLATING)
                .where(ConversationMessage.created_at < before)
                .order_by(ConversationMessage.id)
                .limit(limit)
            )
        )

    def sent_to(self, chat_id: int, telegram_message_id: int) -> OutboxMessage | None:
        """Return the outbox row Telegram delivered into this chat under this id."""
        return self._db.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id)
            .where(OutboxMessage.telegram_message_id == telegram_message_id)
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )

    def carried(self, outbox_id: int) -> list[int]:
        """Return the responses (families) an outbox message shows."""
        return list(
            self._db.scalars(
                select(OutboxFamily.response_id).where(OutboxFamily.outbox_id == outbox_id)
            )
        )

    def by_outbox(self, outbox_id: int) -> ConversationMessage | None:
        """Return the staff message that outbox row carried to the parent."""
        return self._db.scalar(
            select(ConversationMessage).where(ConversationMessage.outbox_id == outbox_id)
        )

    def latest(self, parent_id: int, school_code: str | None = None) -> ConversationMessage | None:
        """Return the parent's latest conversation message (with that school), if any."""
        query = select(ConversationMessage).where(ConversationMessage.parent_id == parent_id)
        if school_code is not None:
            query = query.where(ConversationMessage.school_code == school_code)
        return self._db.scalar(query.order_by(ConversationMessage.id.desc()).limit(1))

    def parent(self, parent_id: int) -> Parent | None:
        """Return the parent with this id."""
        return self._db.get(Parent, parent_id)

    def of_parent(self, parent_id: int) -> list[ConversationMessage]:
        """Return all of a parent's conversation messages, oldest first."""
        return list(
            self._db.scalars(
                select(ConversationMessage)
                .where(ConversationMessage.parent_id == parent_id)
                .order_by(ConversationMessage.id)
            )
        )

    def delivered(self, outcomes: Sequence[tuple[int, str | None]]) -> list[ConversationMessage]:
        """Mark the staff messages these outbox outcomes carried; return those changed."""
        ending = dict(outcomes)
        rows = list(
            self._db.scalars(
                select(ConversationMessage)
                .where(ConversationMessage.outbox_id.in_(list(ending)))
                .where(ConversationMessage.state == SENDING)
            )
        )
        for row in rows:
            error = ending[row.outbox_id or 0]
            row.state = DELIVERED if error is None else BLOCKED if error == FORBIDDEN else FAILED
        return rows

    def last_of_families(self, response_ids: Sequence[int]) -> dict[int, ConversationMessage]:
        """Return the latest conversation message of each family (by response id)."""
        if not response_ids:
            return {}
        latest = (
            select(
                Response.id.label("response_id"),
                func.max(ConversationMessage.id).label("message_id"),
            )
            .join(
                ConversationMessage,
                (ConversationMessage.parent_id == Response.parent_id)
                & (ConversationMessage.school_code == Response.school_code),
            )
            .where(Response.id.in_(list(response_ids)))
            .group_by(Response.id)
            .subquery()
        )
        rows = self._db.execute(
            select(latest.c.response_id, ConversationMessage).join(
                ConversationMessage, ConversationMessage.id == latest.c.message_id
            )
        )
        return {response_id: message for response_id, message in rows}

    def erase_older_than(self, cutoff: datetime) -> int:
        """Erase messages made before the cutoff; return how many."""
        result = self._db.execute(
            delete(ConversationMessage).where(ConversationMessage.created_at < cutoff)
        )
        return int(getattr(result, "rowcount", 0) or 0)
