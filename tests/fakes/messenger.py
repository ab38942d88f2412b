"""A messenger we own for the outbox's tests: it answers each attempt as it was told to."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field

from bot.messages.replies import Reply
from bot.outbox.outcomes import SENT, Outcome
from bot.storage.queue import Queued


@dataclass
class ScriptedMessenger:
    """Answers the attempts on each chat in the order scripted, then SENT; records them."""

    script: dict[int, deque[Outcome]] = field(default_factory=lambda: defaultdict(deque))
    attempts: list[tuple[int, str | None]] = field(default_factory=list)
    delivered: list[tuple[int, str | None]] = field(default_factory=list)
    popups: list[Reply] = field(default_factory=list)

    def answer_with(self, chat_id: int, *outcomes: Outcome) -> None:
        """Answer the chat's next attempts with these outcomes."""
        self.script[chat_id].extend(outcomes)

    async def send(self, item: Queued) -> Outcome:
        self.attempts.append((item.chat_id, item.reply.text))
        waiting = self.script.get(item.chat_id)
        outcome = waiting.popleft() if waiting else SENT
        if outcome is SENT:
            self.delivered.append((item.chat_id, item.reply.text))
        return outcome

    async def answer(self, popup: Reply) -> None:
        self.popups.append(popup)
