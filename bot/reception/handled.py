"""What the front desk hands back for an update: the replies stored, the press's answer."""

from __future__ import annotations

from dataclasses import dataclass

from bot.messages.replies import Reply
from bot.storage.queue import Queued


@dataclass(frozen=True, slots=True)
class Handled:
    """What an update produced: replies stored in the outbox, and the button press's answer."""

    queued: list[Queued]
    popup: Reply | None
