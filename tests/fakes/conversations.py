"""The conversations repository in memory, for use cases tested without a database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.storage.models import ConversationMessage, OutboxMessage, Parent
from bot.storage.models.conversations import (
    BLOCKED,
    DELIVERED,
    FAILED,
    FORBIDDEN,
    SENDING,
    TRANSLATING,
)


@dataclass
class FakeConversations:
    """Conversation messages in a list; outbox rows as the test puts them."""

    messages: list[ConversationMessage] = field(default_factory=list)
    outbox: list[OutboxMessage] = field(default_factory=list)
    carrying: dict[int, list[int]] = field(default_factory=dict)
    parents: dict[int, Parent] = field(default_factory=dict)

    def add(self, message: ConversationMessage) -> ConversationMessage:
        message.id = len(self.messages) + 1
        self.messages.append(message)
        return message

    def get(self, message_id: int) -> ConversationMessage | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def take(self, message_id: int) -> ConversationMessage | None:
        message = self.get(message_id)
        return message if message is not None and message.state == TRANSLATING else None

    def waiting(self, before: datetime, limit: int) -> list[int]:
        due = [m.id for m in self.messages if m.state == TRANSLATING and m.created_at < before]
        return due[:limit]

    def sent_to(self, chat_id: int, telegram_message_id: int) -> OutboxMessage | None:
        return next(
            (
                row
                for row in reversed(self.outbox)
                if row.chat_id == chat_id and row.telegram_message_id == telegram_message_id
            ),
            None,
        )

    def carried(self, outbox_id: int) -> list[int]:
        return list(self.carrying.get(outbox_id, ()))

    def by_outbox(self, outbox_id: int) -> ConversationMessage | None:
        return next((m for m in self.messages if m.outbox_id == outbox_id), None)

    def latest(self, parent_id: int, school_code: str | None = None) -> ConversationMessage | None:
        mine = [
            m
            for m in self.messages
            if m.parent_id == parent_id and school_code in (None, m.school_code)
        ]
        return mine[-1] if mine else None

    def parent(self, parent_id: int) -> Parent | None:
        return self.parents.get(parent_id)

    def of_parent(self, parent_id: int) -> list[ConversationMessage]:
        return [m for m in self.messages if m.parent_id == parent_id]

    def delivered(self, outcomes: Sequence[tuple[int, str | None]]) -> list[ConversationMessage]:
        ending = dict(outcomes)
        changed = [m for m in self.messages if m.outbox_id in ending and m.state == SENDING]
        for message in changed:
            error = ending[message.outbox_id or 0]
            message.state = (
                DELIVERED if error is None else BLOCKED if error == FORBIDDEN else FAILED
            )
        return changed

    def last_of_families(self, response_ids: Sequence[int]) -> dict[int, ConversationMessage]:
        latest = {m.response_id: m for m in self.messages if m.response_id in response_ids}
        return {r: m for r, m in latest.items() if r is not None}

    def erase_older_than(self, cutoff: datetime) -> int:
        before = len(self.messages)
        self.messages = [m for m in self.messages if m.created_at >= cutoff]
        return before - len(self.messages)
