"""Deliver what the outbox holds, without losing or repeating a message."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable

from bot.messages.replies import Reply
from bot.outbox.claims import Claims
from bot.outbox.outcomes import Blocked, Messenger, Refused, Sent, WaitFor
from bot.outbox.records import Followers, Records
from bot.storage.models import utcnow
from bot.storage.queue import Queued
from bot.storage.unit import Transactions
from bot.storage.work import DatabaseCalls

log = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
ATTEMPTS = 8
# What a delivery ends in when there is nothing to record: not sent and not given up
# (the outbox row stays for the sweep), or taken over by another sender (which sends it).
LEAVE = "leave"
LOST = "lost"


class Outbox:
    """Delivers outbox messages; each chat's messages in order, chats in parallel.

    A message is sent only by the sender that holds its claim: the claim is renewed while
    the message waits (a flood wait, a lane behind it), and compared with the stored one
    before the request whenever it is old enough that a sweep elsewhere could have taken
    it. A lane sends its next message only once the previous one is recorded as sent.
    What remains is at least once, not exactly once: a crash between the messenger's
    answer and that record (a millisecond or two, at most one message per lane) sends the
    message again after the restart. Only an idempotency key on Telegram's side could
    close that, and the Bot API has none; what a parent does with a repeated question
    counts once, since each question's buttons carry its number (Choose.seq).
    """

    def __init__(
        self,
        messenger: Messenger,
        transactions: Transactions,
        database: DatabaseCalls,
        *,
        lanes: int = 128,
        reclaim_after: float = 30.0,
        sweep_every: float = 10.0,
        on_forbidden: Callable[[int], list[Queued]] | None = None,
        followers: Followers | None = None,
    ) -> None:
        self._messenger = messenger
        self._transactions = transactions
        # The desk's threads: on SQLite one, so writers never wait on each other.
        self._database = database
        # A lane waits for each message's record before its next: under load a record
        # waits for the update batch in hand, so the lanes carry the throughput. With 8
        # the bot sent fewer than 200 updates' replies a second (bench/bot.py); with 32 it
        # kept up, but replies queued behind other chats' records (p50 20-35 ms at 500
        # updates/s); with 128 the p50 is 7-14 ms. A lane is a queue and a task, no more.
        self._lanes: list[asyncio.Queue[Queued]] = [asyncio.Queue() for _ in range(lanes)]
        # What other rooms store when outcomes are recorded is sent as soon as it is stored.
        self._records = Records(transactions, database, followers=followers, submit=self.submit)
        self._claims = Claims(transactions, database, reclaim_after)
        # A message left by a dead process may be taken over once it is reclaim_after old;
        # looking less often than that would leave it waiting up to a whole sweep longer.
        self._sweep_every = min(sweep_every, reclaim_after)
        self._tasks: list[asyncio.Task[None]] = []
        # A chat that blocked the bot may be a school's staff chat: the hook marks it
        # inactive and returns what to tell the coordinators.
        self._on_forbidden = on_forbidden

    async def start(self, *, sweep: bool = True) -> None:
        """Start the lanes, and (unless told not to) send what an earlier run left unsent."""
        self._tasks = [asyncio.create_task(self._lane(q)) for q in self._lanes]
        self._tasks.append(asyncio.create_task(self._records.keep()))
        self._tasks.append(asyncio.create_task(self._claims.keep()))
        if sweep:
            self._tasks.append(asyncio.create_task(self._sweep_loop()))

    async def stop(self, grace: float = 2.0) -> None:
        """Stop sending; what is not sent yet stays in the outbox for the next start.

        Messages on their way get `grace` seconds to arrive and be recorded: one cut off
        between the messenger's answer and its record would be sent again after a restart.
        """
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.idle(), grace)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self._records.flush()

    def submit(self, queued: Iterable[Queued]) -> None:
        """Hand over replies that were just committed (or reclaimed by the sweep)."""
        for item in queued:
            if not self._claims.take(item):
                continue  # handed over twice: one lane has it already
            self._lanes[item.chat_id % len(self._lanes)].put_nowait(item)

    async def answer(self, popup: Reply) -> None:
        """Answer a button press now; it is never stored, since Telegram forgets it soon."""
        await self._messenger.answer(popup)

    async def idle(self) -> None:
        """Wait until everything submitted so far was sent and recorded (for tests and shutdown)."""
        for lane in self._lanes:
            await lane.join()
        await self._records.idle()

    async def sweep(self) -> int:
        """Take over messages nobody finished sending (a crash, a dead worker); return how many."""
        items = await self._database.call(self._claims.take_over_stale, self._claims.held())
        self.submit(items)
        if items:
            log.info("resending %d messages left in the outbox", len(items))
        return len(items)

    async def _sweep_loop(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("outbox sweep failed")
            await asyncio.sleep(self._sweep_every)

    async def _lane(self, lane: asyncio.Queue[Queued]) -> None:
        while True:
            item = await lane.get()
            outcome: str | None = LEAVE
            telegram_id: int | None = None
            try:
                outcome, telegram_id = await self._deliver(item)
            except Exception:
                log.exception("sending outbox message %s failed", item.outbox_id)
            try:
                if outcome is not LEAVE and outcome is not LOST:
                    # Nothing else leaves this lane before the outcome is stored: a crash
                    # can then repeat at most this one message (see the class docstring).
                    await self._records.record((item.outbox_id, outcome), telegram_id)
            finally:
                self._claims.release(item.outbox_id)
                lane.task_done()

    async def _deliver(self, item: Queued) -> tuple[str | None, int | None]:
        """Send one message; return the error to record (None when sent), LEAVE it or LOST it,
        with the id Telegram gave the message when it is traced."""
        backoff = 0.5
        for _ in range(ATTEMPTS):
            if not await self._claims.holds(item):
                log.info(
                    "outbox message %s was taken over by another sender, rewritten or recalled",
                    item.outbox_id,
                )
                return LOST, None
            outcome = await self._messenger.send(item)
            if isinstance(outcome, Sent):
                return None, outcome.message_id
            if isinstance(outcome, WaitFor):
                # The claim is renewed meanwhile (Claims.keep): nobody else sends it.
                await asyncio.sleep(outcome.seconds)
            elif isinstance(outcome, Refused):
                # Only the reason's name: the messenger's description may quote the text.
                log.warning(
                    "outbox message %s can never be sent (%s); given up",
                    item.outbox_id,
                    outcome.reason,
                )
                return outcome.reason, None
            elif isinstance(outcome, Blocked):
                await self._blocked(item)
                return "Forbidden", None
            else:
                log.warning("network trouble sending %s: %s", item.outbox_id, outcome.kind)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
        # Still failing: leave it claimed; the sweep takes it up again later.
        return LEAVE, None

    async def _blocked(self, item: Queued) -> None:
        await self._database.call(self._mark_blocked, item.chat_id)
        if self._on_forbidden is not None:
            self.submit(await self._database.call(self._on_forbidden, item.chat_id))
        log.info("a chat blocked the bot; outbox message %s dropped", item.outbox_id)

    def _mark_blocked(self, chat_id: int) -> None:
        with self._transactions.begin() as unit:
            unit.outbox_rows.chat_blocked(chat_id, utcnow())
