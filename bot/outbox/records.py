"""What the sender learned, written to the outbox: each outcome before its lane goes on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.storage.errors import is_transient
from bot.storage.models import utcnow
from bot.storage.queue import Queued
from bot.storage.repositories.outbox_rows import Outcome
from bot.storage.unit import Transactions, UnitOfWork
from bot.storage.work import DatabaseCalls

log = logging.getLogger(__name__)

MAX_PAUSE = 30.0

# What another room does, in the transaction that records outcomes (a conversation
# message delivered or blocked): the messages it stores in turn, to be sent.
Followers = Callable[[UnitOfWork, list[Outcome]], list[Queued]]


class Records:
    """Outcomes waiting to be written, gathered so that one commit serves many.

    A message sent but not marked so would be sent again by the sweep once its claim ran
    out: the lane that sent it waits for its record, so that stays at most one message
    per lane, and a busy database is waited out.
    """

    def __init__(
        self,
        transactions: Transactions,
        database: DatabaseCalls,
        *,
        followers: Followers | None = None,
        submit: Callable[[list[Queued]], None] = lambda queued: None,
    ) -> None:
        self._transactions = transactions
        self._database = database
        self._followers = followers
        self._submit = submit
        # The ids Telegram gave traced messages, by outbox id, written with their outcome.
        self._telegram_ids: dict[int, int] = {}
        self._waiting: asyncio.Queue[tuple[Outcome, asyncio.Future[None]]] = asyncio.Queue()
        # Outcomes whose record was cut off by a stop, which writes them.
        self._unwritten: list[Outcome] = []

    async def record(self, outcome: Outcome, telegram_id: int | None = None) -> None:
        """Write an outcome among others; return once it is written (or given up on)."""
        if telegram_id is not None:
            self._telegram_ids[outcome[0]] = telegram_id
        written = asyncio.get_running_loop().create_future()
        self._waiting.put_nowait((outcome, written))
        await written

    async def idle(self) -> None:
        """Wait until every outcome handed over so far was written."""
        await self._waiting.join()

    async def keep(self) -> None:
        """Write outcomes as they come, for as long as this runs."""
        while True:
            # Whatever finished while the last record was written goes in one transaction:
            # under load that saves a commit per message, and nobody waits for company.
            batch = [await self._waiting.get()]
            while not self._waiting.empty():
                batch.append(self._waiting.get_nowait())
            try:
                await self._write_patiently([outcome for outcome, _ in batch])
            finally:
                for _, written in batch:
                    if not written.done():
                        written.set_result(None)
                    self._waiting.task_done()

    async def flush(self) -> None:
        """Write what a stop cut off or left waiting (once keep() no longer runs)."""
        batch, self._unwritten = self._unwritten, []
        while not self._waiting.empty():
            outcome, _ = self._waiting.get_nowait()
            batch.append(outcome)
            self._waiting.task_done()
        if not batch:
            return
        try:
            self._submit(await self._database.call(self.write, batch))
        except Exception as error:
            # The rest of the stop goes on; the sweep of the next start sends these again.
            log.error("%d sent messages not recorded at stop: %s", len(batch), type(error).__name__)

    def write(self, outcomes: list[Outcome]) -> list[Queued]:
        """Write outcomes in one transaction (in a database thread); return what followed."""
        ids = [(i, t) for i, _ in outcomes if (t := self._telegram_ids.get(i)) is not None]
        with self._transactions.begin() as unit:
            unit.outbox_rows.record(outcomes, utcnow())
            if ids:
                unit.outbox_rows.note_telegram_ids(ids)
            followed = self._followers(unit, outcomes) if self._followers else []
        for outbox_id, _ in ids:
            self._telegram_ids.pop(outbox_id, None)
        return followed

    async def _write_patiently(self, outcomes: list[Outcome]) -> None:
        pause = 0.5
        try:
            while True:
                try:
                    # Before any update waiting: until this commits, a crash repeats these.
                    self._submit(await self._database.call_first(self.write, outcomes))
                    return
                except Exception as error:
                    if not is_transient(error):
                        log.exception("recording %d sent messages failed", len(outcomes))
                        return
                    log.warning(
                        "recording %d sent messages failed (%s); again in %.1fs",
                        len(outcomes),
                        type(error).__name__,
                        pause,
                    )
                await asyncio.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
        except asyncio.CancelledError:
            self._unwritten.extend(outcomes)  # flush() writes them
            raise
