"""How one attempt to deliver an outbox message went, as the messenger reports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.messages.replies import Reply
from bot.storage.queue import Queued


@dataclass(frozen=True, slots=True)
class Sent:
    """Delivered, or already as we wanted it: recorded as sent."""

    # The id Telegram gave the delivered message, when it said one.
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class WaitFor:
    """The messenger asked us to wait this long before trying again (flood control)."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Trouble:
    """It may go through later (the network, the messenger's own trouble)."""

    # The error's class, for the log; never its message, which may quote the text.
    kind: str


@dataclass(frozen=True, slots=True)
class Refused:
    """It never will go through (too long, cannot be encoded): given up with this reason."""

    reason: str


@dataclass(frozen=True, slots=True)
class Blocked:
    """The chat blocked the bot: nothing more is sent there until it comes back."""


SENT = Sent()
BLOCKED = Blocked()
Outcome = Sent | WaitFor | Trouble | Refused | Blocked


class Messenger(Protocol):
    """What carries outbox messages to the chats (Telegram's Bot API, or a test's fake)."""

    async def send(self, item: Queued) -> Outcome:
        """Try once to deliver a message; say how it went, never raise for the messenger's
        answers."""
        ...

    async def answer(self, popup: Reply) -> None:
        """Answer a button press now; it is never stored or retried."""
        ...
