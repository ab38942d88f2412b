"""Send a stored broadcast through an outbox, paced, and wait until every copy is settled.

The copies are queued only as fast as they are sent (`rate` a second): the outbox's
lanes never fill with thousands of them, so a parent's reply in the same sender waits
behind at most a second's worth, and a copy is never left queued but unsent long enough
for a sweep to take it over in a burst.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.broadcasts.sending import Broadcasts, Plan
from bot.outbox.delivery import Outbox
from bot.storage.models import utcnow
from bot.storage.repositories.broadcasts import Tally
from bot.storage.work import DatabaseCalls

# How often new copies are queued: a tenth of a second's worth at a time, so that the
# rate limiter never sees a burst (it lets a whole second's worth through at once).
TICK = 0.1
# The progress (and the copies other senders left) is read every this many ticks.
READ_EVERY = 5


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast to send, and how long to wait for copies another sender holds."""

    rate: float = 20.0
    # Copies a sender that went away left claimed are taken over after this (its claims).
    reclaim_after: float = 30.0
    # Give up waiting when nothing changed for this long (the rest stays in the outbox).
    patience: float = 120.0


async def deliver(
    broadcasts: Broadcasts,
    broadcast_id: int,
    plan: Plan,
    sender: Outbox,
    database: DatabaseCalls,
    pace: Pace,
    progress: Callable[[Tally], None] = lambda _: None,
) -> Tally:
    """Queue the families not reached yet, paced; return the tally once all are settled."""
    mine: set[int] = set()
    allowance = _Allowance(pace.rate)
    batches = broadcasts.queue(broadcast_id, plan, allowance.take)
    queuing = True
    last_change, last = time.monotonic(), None
    tick = 0
    while True:
        tick += 1
        if queuing:
            batch = await database.call(next, batches, None)
            if batch is None:
                queuing = False
            else:
                mine.update(item.outbox_id for item in batch)
                sender.submit(batch)
        if queuing and tick % READ_EVERY:
            await asyncio.sleep(TICK)
            continue
        tally = await database.call(broadcasts.tally, broadcast_id)
        progress(tally)
        if not queuing and tally.finished >= tally.queued:
            return tally
        if tally != last:
            last_change, last = time.monotonic(), tally
        elif time.monotonic() - last_change > pace.patience:
            return tally
        await _take_over(broadcasts, broadcast_id, sender, database, pace, mine)
        await asyncio.sleep(TICK)


async def _take_over(
    broadcasts: Broadcasts,
    broadcast_id: int,
    sender: Outbox,
    database: DatabaseCalls,
    pace: Pace,
    mine: set[int],
) -> None:
    """Send the copies a sender that went away (a killed run) left claimed and unsent."""
    cutoff = utcnow() - timedelta(seconds=pace.reclaim_after)
    taken = await database.call(broadcasts.take_over, broadcast_id, cutoff, frozenset(mine))
    mine.update(item.outbox_id for item in taken)
    sender.submit(taken)


class _Allowance:
    """How many copies may be queued now to keep to `rate` a second."""

    def __init__(self, rate: float) -> None:
        self._rate = rate
        self._since = time.monotonic() - TICK
        self._owed = 0.0

    def take(self) -> int:
        """Return the copies due since the last batch (at least one)."""
        now = time.monotonic()
        self._owed += (now - self._since) * self._rate
        self._since = now
        count = max(1, int(self._owed))
        self._owed = max(0.0, self._owed - count)
        return count
