"""Send what the outbox holds, within Telegram's limits, without losing or repeating a message."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.messages.replies import Reply
from bot.outbox.claims import Claims
from bot.outbox.queue import Queued
from bot.storage.calls import DatabaseCalls
from bot.storage.errors import is_transient
from bot.storage.models import Base, OutboxMessage, Parent, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

# Telegram says these when the thing is already as we want it; nothing to retry.
HARMLESS = ("message is not modified", "query is too old", "query id is invalid")
MAX_BACKOFF = 30.0
ATTEMPTS = 8
# _deliver's answer for "not sent, not given up": the outbox row stays for the sweep.
LEAVE = "leave"
# _deliver's answer for "another sender took it over": that one sends it, not us.
LOST = "lost"


def quiet_calls_by_name() -> None:
    """Silence PTB's advice to use typed methods: Sender._call calls them by name on purpose.

    Called where a sender is built, not at import: importing a module changes nothing.
    """
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


_OUTBOX = Base.metadata.tables[OutboxMessage.__tablename__]
_MARK_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("rows", expanding=True)))
    .values(sent_at=bindparam("now"))
)
_MARK_GIVEN_UP = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row"))
    .values(sent_at=bindparam("now"), last_error=bindparam("error"))
)


class Sender:
    """Delivers outbox messages; each chat's messages in order, chats in parallel.

    A message is sent only by the sender that holds its claim: the claim is renewed while
    the message waits (a flood wait, a lane behind it), and compared with the stored one
    before the request whenever it is old enough that a sweep elsewhere could have taken
    it. A lane sends its next message only once the previous one is recorded as sent.
    What remains is at least once, not exactly once: a crash between Telegram's answer
    and that record (a millisecond or two, at most one message per lane) sends the message
    again after the restart. Only an idempotency key on Telegram's side could close that,
    and the Bot API has none; what a parent does with a repeated question counts once,
    since each question's buttons carry its number (Choose.seq).
    """

    def __init__(
        self,
        bot: Bot,
        sessions: sessionmaker[Session],
        database: DatabaseCalls,
        *,
        lanes: int = 128,
        reclaim_after: float = 30.0,
        sweep_every: float = 10.0,
        on_forbidden: Callable[[int], list[Queued]] | None = None,
    ) -> None:
        self._bot = bot
        self._sessions = sessions
        # The desk's threads: on SQLite one, so writers never wait on each other.
        self._database = database
        # A lane waits for each message's record before its next: under load a record
        # waits for the update batch in hand, so the lanes carry the throughput. With 8
        # the bot sent fewer than 200 updates' replies a second (bench/bot.py); with 32 it
        # kept up, but replies queued behind other chats' records (p50 20-35 ms at 500
        # updates/s); with 128 the p50 is 7-14 ms. A lane is a queue and a task, no more.
        self._lanes: list[asyncio.Queue[Queued]] = [asyncio.Queue() for _ in range(lanes)]
        self._done: asyncio.Queue[tuple[int, str | None, asyncio.Future[None]]] = asyncio.Queue()
        # Outcomes whose record was cut off by stop(), which writes them.
        self._unrecorded: list[tuple[int, str | None]] = []
        self._claims = Claims(sessions, database, reclaim_after)
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
        self._tasks.append(asyncio.create_task(self._record_done()))
        self._tasks.append(asyncio.create_task(self._claims.keep()))
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
            if not self._claims.take(item):
                continue  # handed over twice: one lane has it already
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
        items = await self._db(self._claims.take_over_stale, self._claims.held())
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

    async def _lane(self, lane: asyncio.Queue[Queued]) -> None:
        while True:
            item = await lane.get()
            outcome: str | None = LEAVE
            try:
                outcome = await self._deliver(item)
            except Exception:
                log.exception("sending outbox message %s failed", item.outbox_id)
            try:
                if outcome is not LEAVE and outcome is not LOST:
                    # Nothing else leaves this lane before the outcome is stored: a crash
                    # can then repeat at most this one message (see the class docstring).
                    recorded = asyncio.get_running_loop().create_future()
                    self._done.put_nowait((item.outbox_id, outcome, recorded))
                    await recorded
            finally:
                self._claims.release(item.outbox_id)
                lane.task_done()

    async def _deliver(self, item: Queued) -> str | None:
        """Send one reply; return the error to record (None when sent), LEAVE it or LOST it."""
        backoff = 0.5
        for _ in range(ATTEMPTS):
            if not await self._claims.holds(item):
                log.info(
                    "outbox message %s was taken over by another sender, rewritten or recalled",
                    item.outbox_id,
                )
                return LOST
            try:
                await self._call(item)
                return None
            except RetryAfter as error:
                # The claim is renewed meanwhile (Claims.keep): nobody else sends it.
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
                return _given_up(item, error)
            except (NetworkError, TelegramError) as error:
                if isinstance(error.__cause__, ValueError):
                    # The request could not even be written (a text with a lone surrogate
                    # cannot be encoded): it never will be, so the lane moves on.
                    return _given_up(item, error.__cause__)
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
            # Whatever finished while the last record was written goes in one transaction:
            # under load that saves a commit per message, and nobody waits for company.
            batch = [await self._done.get()]
            while not self._done.empty():
                batch.append(self._done.get_nowait())
            try:
                await self._record([(i, error) for i, error, _ in batch])
            finally:
                for _, _, recorded in batch:
                    if not recorded.done():
                        recorded.set_result(None)
                    self._done.task_done()

    async def _record(self, outcomes: list[tuple[int, str | None]]) -> None:
        """Write the outcomes, waiting out a busy database.

        A message sent but not marked so would be sent again by the sweep once its claim
        ran out; the lanes wait meanwhile, so that stays at most one message each.
        """
        pause = 0.5
        try:
            while True:
                try:
                    # Before any update waiting: until this commits, a crash repeats these.
                    await self._database.call_first(self._write_done, outcomes)
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
                pause = min(pause * 2, MAX_BACKOFF)
        except asyncio.CancelledError:
            self._unrecorded.extend(outcomes)  # stop() writes them
            raise

    async def _flush_done(self) -> None:
        batch, self._unrecorded = self._unrecorded, []
        while not self._done.empty():
            outbox_id, error, _ = self._done.get_nowait()
            batch.append((outbox_id, error))
            self._done.task_done()
        if not batch:
            return
        try:
            await self._db(self._write_done, batch)
        except Exception as error:
            # The rest of the stop goes on; the sweep of the next start sends these again.
            log.error("%d sent messages not recorded at stop: %s", len(batch), type(error).__name__)

    def _write_done(self, batch: list[tuple[int, str | None]]) -> None:
        now = utcnow()
        sent = [outbox_id for outbox_id, error in batch if error is None]
        failed = [{"row": i, "now": now, "error": e} for i, e in batch if e is not None]
        # Core statements on the session's connection: written after every answer from
        # Telegram, the ORM's bulk-update machinery was a tenth of the bot's time.
        with self._sessions.begin() as db:
            connection = db.connection()
            if sent:
                connection.execute(_MARK_SENT, {"rows": sent, "now": now})
            if failed:
                connection.execute(_MARK_GIVEN_UP, failed)


def _given_up(item: Queued, error: Exception) -> str:
    """Return the error to record for a message that can never be sent; log no content."""
    # Only the class: Telegram's description may quote the text it refused.
    reason = type(error).__name__
    log.warning("outbox message %s can never be sent (%s); given up", item.outbox_id, reason)
    return reason


def _markup(reply: Reply, *, contact: bool) -> dict[str, Any] | None:
    """Return the reply's keyboard as the Bot API's JSON (None: no keyboard, or remove it)."""
    if reply.buttons:
        rows = [[{"text": b.text, "callback_data": b.data} for b in row] for row in reply.buttons]
        return {"inline_keyboard": rows}
    if contact and reply.ask_contact:
        button = {"text": reply.ask_contact, "request_contact": True}
        return {"keyboard": [[button]], "resize_keyboard": True, "one_time_keyboard": True}
    return None
