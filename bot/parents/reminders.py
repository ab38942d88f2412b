"""One reminder for a parent who started but did not finish, in their language, by day only."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.clock import AMSTERDAM, Clock
from bot.i18n.localizer import Localizers
from bot.messages.replies import Replies
from bot.parents import texts as msg
from bot.storage.queue import Queued
from bot.storage.unit import Transactions

log = logging.getLogger(__name__)

# Nobody gets a message from us at night: only from 08:00 until 21:00 Dutch time.
QUIET_UNTIL, QUIET_FROM = 8, 21
BATCH = 500


def quiet(clock: Clock) -> bool:
    """Tell whether it is night in the Netherlands now."""
    hour = clock.now().astimezone(AMSTERDAM).hour
    return not QUIET_UNTIL <= hour < QUIET_FROM


class Reminders:
    """Finds unfinished sessions that waited long enough and queues their one reminder."""

    def __init__(
        self,
        transactions: Transactions,
        localizers: Localizers,
        clock: Clock,
        after: timedelta,
    ) -> None:
        self._transactions = transactions
        self._localizers = localizers
        self._clock = clock
        self._after = after

    def run(self) -> list[Queued]:
        """Queue the reminders that are due now; return them for the sender."""
        if quiet(self._clock):
            return []
        now = self._clock.now()
        queued: list[Queued] = []
        with self._transactions.begin() as unit:
            for session, parent in unit.unfinished.to_remind(now - self._after, BATCH):
                session.reminded_at = now
                texts = self._localizers.get(parent.language or "nl")
                replies = Replies(parent.chat_id)
                replies.send(texts.gettext(msg.REMINDER))
                queued += unit.outbox.queue(replies.chat_id, replies.items, parent.id)
        if queued:
            log.info("%d reminders queued", len(queued))
        return queued
