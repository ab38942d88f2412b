"""Send what the outbox holds, within Telegram's limits, without losing or repeating a message."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.service.replies import Reply
from bot.service.store import Queued
from bot.storage.calls import DatabaseCalls
from bot.storage.models import Base, OutboxMessage, Parent, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

# Telegram says these when the thing is already as we want it; nothing to retry.
HARMLESS = ("message is not modified", "query is too old", "query id is invalid")
MAX_BACKOFF = 30.0
ATTEMPTS = 8
# A claim younger than this share of the reclaim time is surely still ours: no sweep
# anywhere takes it before the whole time has passed (clocks may differ by the rest).
SURE_SHARE = 0.5
# Claims held this long (as a share of the reclaim time) are renewed, this often.
RENEW_SHARE = 0.25
# How many claims one renewal statement names.
RENEW_AT_ONCE = 500
# _deliver's answer for "not sent, not given up": the outbox row stays for the sweep.
LEAVE = "leave"
# _deliver's answer for "another sender took it over": that one sends it, not us.
LOST = "lost"
_OUTBOX = Base.metadata.tables[OutboxMessage.__tablename__]
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


@dataclass(slots=True)
class _Lease:
    """What this sender knows about its claim on one outbox message."""

    claim: int
    # time.monotonic() when the claim was last known to be ours.
    since: float
    # Another sender took the message over: this one must not send it.
    lost: bool = False


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
        self._done: asyncio.Queue[tuple[int, str | None, asyncio.Future[None]]] = asyncio.Queue()
        self._reclaim_after = reclaim_after
        self._sweep_every = sweep_every
        self._tasks: list[asyncio.Task[None]] = []
        # The messages this sender holds (in a lane, or being sent), by outbox id.
        self._leases: dict[int, _Lease] = {}
        # A chat that blocked the bot may be a school's staff chat: the hook marks it
        # inactive and returns what to tell the coordinators.
        self._on_forbidden = on_forbidden

    async def start(self, *, sweep: bool = True) -> None:
        """Start the lanes, and (unless told not to) send what an earlier run left unsent."""
        self._tasks = [asyncio.create_task(self._lane(q)) for q in self._lanes]
        self._tasks.append(asyncio.create_task(self._record_done()))
        self._tasks.append(asyncio.create_task(self._keep_claims()))
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
            if item.outbox_id in self._leases:
                continue  # handed over twice: one lane has it already
            self._leases[item.outbox_id] = _Lease(item.claim, item.claimed)
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
        items = await self._db(self._claim_stale, frozenset(self._leases))
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

    def _claim_stale(self, held: frozenset[int]) -> list[Queued]:
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
            claimed = time.monotonic()
            now = utcnow()
            # One of ours whose renewal failed is still in a lane, which checks its claim.
            taken = [row for row in rows if row.id not in held]
            for row in taken:
                row.claimed_at = now
                row.claim += 1
            return [
                Queued(r.id, r.chat_id, Reply.from_payload(r.payload), r.claim, claimed)
                for r in taken
            ]

    async def _keep_claims(self) -> None:
        """Renew the claims held a while, so that no sweep takes over a message we still send."""
        period = self._reclaim_after * RENEW_SHARE
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            held = [i for i, lease in self._leases.items() if now - lease.since >= period]
            for start in range(0, len(held), RENEW_AT_ONCE):
                try:
                    await self._renew(held[start : start + RENEW_AT_ONCE])
                except Exception:
                    log.exception("renewing the claims on outbox messages failed")

    async def _renew(self, outbox_ids: list[int]) -> None:
        """Renew our claims on these messages; note the ones another sender took over."""
        leases = {i: self._leases[i] for i in outbox_ids if i in self._leases}
        held = [(i, lease.claim) for i, lease in leases.items() if not lease.lost]
        if not held:
            return
        started = time.monotonic()
        still_ours = await self._db(self._write_renewal, held)
        for outbox_id, claim in held:
            lease = leases[outbox_id]
            if lease.claim != claim:
                continue
            if outbox_id in still_ours:
                lease.since = started
            else:
                lease.lost = True

    def _write_renewal(self, held: list[tuple[int, int]]) -> set[int]:
        """Renew the claims still as we took them; return the ids of those."""
        with self._sessions.begin() as db:
            renewed = db.execute(
                update(_OUTBOX)
                .where(_OUTBOX.c.sent_at.is_(None))
                .where(tuple_(_OUTBOX.c.id, _OUTBOX.c.claim).in_(held))
                .values(claimed_at=utcnow())
                .returning(_OUTBOX.c.id)
            )
            return set(renewed.scalars())

    async def _holds(self, item: Queued) -> bool:
        """Tell whether this sender still holds the message's claim, right before sending."""
        lease = self._leases.get(item.outbox_id)
        if lease is None or lease.lost:
            return False
        if time.monotonic() - lease.since < self._reclaim_after * SURE_SHARE:
            return True
        await self._renew([item.outbox_id])
        return not lease.lost

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
                self._leases.pop(item.outbox_id, None)
                lane.task_done()

    async def _deliver(self, item: Queued) -> str | None:
        """Send one reply; return the error to record (None when sent), LEAVE it or LOST it."""
        backoff = 0.5
        for _ in range(ATTEMPTS):
            if not await self._holds(item):
                log.info("outbox message %s was taken over by another sender", item.outbox_id)
                return LOST
            try:
                await self._call(item)
                return None
            except RetryAfter as error:
                # The claim is renewed meanwhile (_keep_claims): nobody else sends it.
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
                # Before any update waiting: until this commits, a crash repeats these.
                outcomes = [(i, error) for i, error, _ in batch]
                await self._database.call_first(self._write_done, outcomes)
            except Exception:
                log.exception("recording %d sent messages failed", len(batch))
            finally:
                for _, _, recorded in batch:
                    if not recorded.done():
                        recorded.set_result(None)
                    self._done.task_done()

    async def _flush_done(self) -> None:
        batch = []
        while not self._done.empty():
            outbox_id, error, _ = self._done.get_nowait()
            batch.append((outbox_id, error))
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
