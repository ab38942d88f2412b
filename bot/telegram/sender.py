"""Send what the outbox holds, within Telegram's limits, without losing or repeating a message."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.service.replies import Reply
from bot.service.store import Queued
from bot.storage.calls import DatabaseCalls
from bot.storage.models import OutboxMessage, Parent, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

# Telegram says these when the thing is already as we want it; nothing to retry.
HARMLESS = ("message is not modified", "query is too old", "query id is invalid")
MAX_BACKOFF = 30.0
GATHER_DONE_SECONDS = 0.05
# _deliver's answer for "not sent, not given up": the outbox row stays for the sweep.
LEAVE = "leave"
# Sender._call calls Bot API methods by name on purpose; PTB warns that typed ones exist.
warnings.filterwarnings(
    "ignore",
    message=r"Please use 'Bot\.(sendMessage|editMessageReplyMarkup)'",
    category=PTBUserWarning,
)


def retry_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asked us to wait."""
    with warnings.catch_warnings():
        # PTB 22 is moving retry_after from int to timedelta and warns on reading it.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Sender:
    """Delivers outbox messages; each chat's messages in order, chats in parallel."""

    def __init__(
        self,
        bot: Bot,
        sessions: sessionmaker[Session],
        database: DatabaseCalls,
        *,
        lanes: int = 8,
        reclaim_after: float = 30.0,
        sweep_every: float = 10.0,
        on_forbidden: Callable[[int], list[Queued]] | None = None,
    ) -> None:
        self._bot = bot
        self._sessions = sessions
        # The desk's threads: on SQLite one, so writers never wait on each other.
        self._database = database
        self._lanes: list[asyncio.Queue[Queued]] = [asyncio.Queue() for _ in range(lanes)]
        self._done: asyncio.Queue[tuple[int, str | None]] = asyncio.Queue()
        self._reclaim_after = reclaim_after
        self._sweep_every = sweep_every
        self._tasks: list[asyncio.Task[None]] = []
        self._in_flight: set[int] = set()
        # A chat that blocked the bot may be a school's staff chat: the hook marks it
        # inactive and returns what to tell the coordinators.
        self._on_forbidden = on_forbidden

    async def start(self, *, sweep: bool = True) -> None:
        """Start the lanes, and (unless told not to) send what an earlier run left unsent."""
        self._tasks = [asyncio.create_task(self._lane(q)) for q in self._lanes]
        self._tasks.append(asyncio.create_task(self._record_done()))
        if sweep:
            self._tasks.append(asyncio.create_task(self._sweep_loop()))

    async def stop(self, grace: float = 2.0) -> None:
        """Stop sending; what is not sent yet stays in the outbox for the next start.

        Messages on their way get `grace` seconds to arrive and be recorded: one cut off
        between Telegram's answer and its record would be sent again after the restart.
        """
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.idle(), grace)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self._flush_done()

    def submit(self, queued: Iterable[Queued]) -> None:
        """Hand over replies that were just committed (or reclaimed by the sweep)."""
        for item in queued:
            # A message waiting out a long RetryAfter may look abandoned to the sweep.
            if item.outbox_id in self._in_flight:
                continue
            self._in_flight.add(item.outbox_id)
            self._lanes[item.chat_id % len(self._lanes)].put_nowait(item)

    async def answer(self, popup: Reply) -> None:
        """Answer a button press now; it is never retried, since Telegram forgets it soon."""
        try:
            await self._bot.answer_callback_query(popup.callback_id or "", text=popup.text or None)
        except TelegramError as error:
            log.info("button press not answered: %s", type(error).__name__)

    async def idle(self) -> None:
        """Wait until everything submitted so far was sent and recorded (for tests and shutdown)."""
        for lane in self._lanes:
            await lane.join()
        await self._done.join()

    async def sweep(self) -> int:
        """Take over messages nobody finished sending (a crash, a dead worker); return how many."""
        items = await self._db(self._claim_stale)
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

    async def _db(self, work: Callable[..., T], *arguments: Any) -> T:
        return await self._database.call(work, *arguments)

    def _claim_stale(self) -> list[Queued]:
        cutoff = utcnow() - timedelta(seconds=self._reclaim_after)
        with self._sessions.begin() as db:
            rows = db.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None))
                .where((OutboxMessage.claimed_at.is_(None)) | (OutboxMessage.claimed_at < cutoff))
                .order_by(OutboxMessage.id)
                .limit(1000)
                .with_for_update(skip_locked=True)
            ).all()
            now = utcnow()
            for row in rows:
                row.claimed_at = now
            return [Queued(r.id, r.chat_id, Reply.from_payload(r.payload)) for r in rows]

    async def _lane(self, lane: asyncio.Queue[Queued]) -> None:
        while True:
            item = await lane.get()
            outcome: str | None = LEAVE
            try:
                outcome = await self._deliver(item)
            except Exception:
                log.exception("sending outbox message %s failed", item.outbox_id)
            finally:
                if outcome is LEAVE:
                    self._in_flight.discard(item.outbox_id)
                else:
                    # Stays in flight until its outcome is written, so no sweep resends it.
                    self._done.put_nowait((item.outbox_id, outcome))
                lane.task_done()

    async def _deliver(self, item: Queued) -> str | None:
        """Send one reply; return the error to record (None when sent), or LEAVE it unsent."""
        backoff = 0.5
        for _ in range(8):
            try:
                await self._call(item)
                return None
            except RetryAfter as error:
                await asyncio.sleep(retry_seconds(error))
            except Forbidden:
                await self._db(self._mark_blocked, item.chat_id)
                if self._on_forbidden is not None:
                    self.submit(await self._db(self._on_forbidden, item.chat_id))
                log.info("a chat blocked the bot; outbox message %s dropped", item.outbox_id)
                return "Forbidden"
            except BadRequest as error:
                if any(text in error.message.lower() for text in HARMLESS):
                    return None
                log.warning("Telegram refused outbox message %s: %s", item.outbox_id, error.message)
                return "BadRequest"
            except (NetworkError, TelegramError) as error:
                log.warning("network trouble sending %s: %s", item.outbox_id, type(error).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
        # Still failing: leave it claimed; the sweep takes it up again later.
        return LEAVE

    async def _call(self, item: Queued) -> None:
        # Bot.send_message builds keyboard objects and parses Telegram's answer into a
        # Message that nobody reads: a third of the cost of sending (bench/bot.py).
        # do_api_request goes the same way, through the rate limiter and the transport,
        # and hands back the answer unparsed.
        reply = item.reply
        if reply.action == "answer_callback":
            await self._bot.answer_callback_query(reply.callback_id or "", text=reply.text or None)
            return
        arguments: dict[str, Any] = {"chat_id": item.chat_id}
        if reply.action == "edit_markup":
            endpoint = "editMessageReplyMarkup"
            arguments["message_id"] = reply.message_id
        else:
            endpoint = "sendMessage"
            arguments["text"] = reply.text
        markup = _markup(reply, contact=endpoint == "sendMessage")
        if markup is not None:
            arguments["reply_markup"] = markup
        await self._bot.do_api_request(endpoint, api_kwargs=arguments)

    def _mark_blocked(self, chat_id: int) -> None:
        with self._sessions.begin() as db:
            db.execute(update(Parent).where(Parent.chat_id == chat_id).values(blocked_at=utcnow()))

    async def _record_done(self) -> None:
        while True:
            first = await self._done.get()
            try:
                # Only the sweep reads these marks, much later: gathering them for a moment
                # saves the database a transaction per message or two under load.
                await asyncio.sleep(GATHER_DONE_SECONDS)
            except asyncio.CancelledError:
                self._done.put_nowait(first)  # for stop()'s flush, so no sent mark is lost
                self._done.task_done()
                raise
            batch = [first]
            # Record everything finished meanwhile in one transaction.
            while not self._done.empty():
                batch.append(self._done.get_nowait())
            try:
                await self._db(self._write_done, batch)
            finally:
                for outbox_id, _ in batch:
                    self._in_flight.discard(outbox_id)
                    self._done.task_done()

    async def _flush_done(self) -> None:
        batch = []
        while not self._done.empty():
            batch.append(self._done.get_nowait())
            self._done.task_done()
        if batch:
            await self._db(self._write_done, batch)

    def _write_done(self, batch: list[tuple[int, str | None]]) -> None:
        now = utcnow()
        with self._sessions.begin() as db:
            sent = [outbox_id for outbox_id, error in batch if error is None]
            if sent:
                db.execute(
                    update(OutboxMessage).where(OutboxMessage.id.in_(sent)).values(sent_at=now)
                )
            for outbox_id, error in batch:
                if error is not None:
                    db.execute(
                        update(OutboxMessage)
                        .where(OutboxMessage.id == outbox_id)
                        .values(sent_at=now, last_error=error)
                    )


def _markup(reply: Reply, *, contact: bool) -> dict[str, Any] | None:
    """Return the reply's keyboard as the Bot API's JSON (None: no keyboard, or remove it)."""
    if reply.buttons:
        rows = [[{"text": b.text, "callback_data": b.data} for b in row] for row in reply.buttons]
        return {"inline_keyboard": rows}
    if contact and reply.ask_contact:
        button = {"text": reply.ask_contact, "request_contact": True}
        return {"keyboard": [[button]], "resize_keyboard": True, "one_time_keyboard": True}
    return None
