"""What handling a parent's update leads to: replies, translations, and what happened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.messages.replies import Replies, Reply, Rows
from bot.storage.queue import Queued
from bot.translation.requests import Job


@dataclass(frozen=True, slots=True)
class ResponseCompleted:
    """A family's response was stored; the school's staff may need to hear of it at once."""

    response_id: int


@dataclass(frozen=True, slots=True)
class ResponseChanged:
    """A finished family changed its answers (from /status); `before` are the old answers."""

    response_id: int
    before: dict[str, Any]


# What the parents' room reports for other rooms to act on, in the same transaction.
Happened = ResponseCompleted | ResponseChanged


@dataclass(frozen=True, slots=True)
class Effects:
    """The effects of one step of a parent's update, in the order they arose."""

    # To the parent's own chat, stored in the outbox (pop-ups answered at once).
    replies: tuple[Reply, ...] = ()
    # Free-text answers to translate once the update's transaction has committed.
    jobs: tuple[Job, ...] = ()
    happened: tuple[Happened, ...] = ()
    # Set when the parent was erased: what is queued then belongs to nobody.
    erased: bool = False
    # Messages to other chats, already stored in this transaction (deleting played copies).
    others: tuple[Queued, ...] = ()

    def __add__(self, other: Effects) -> Effects:
        return Effects(
            self.replies + other.replies,
            self.jobs + other.jobs,
            self.happened + other.happened,
            self.erased or other.erased,
            self.others + other.others,
        )


NOTHING = Effects()


def said(replies: Replies) -> Effects:
    """Return the replies built up for one chat as effects."""
    return Effects(replies=tuple(replies.items))


def message(chat_id: int, text: str, buttons: Rows = (), **extra: Any) -> Effects:
    """Return one message to a chat (several when too long for Telegram)."""
    replies = Replies(chat_id)
    replies.send(text, buttons, **extra)
    return said(replies)


def popup(chat_id: int, callback_id: str, text: str = "") -> Effects:
    """Return the answer to a button press, with a short pop-up when `text` is given."""
    replies = Replies(chat_id)
    replies.answer(callback_id, text)
    return said(replies)
