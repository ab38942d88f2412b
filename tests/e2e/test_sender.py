"""The sender records what it sent, also when it is stopped right after sending."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot

from bot.messages.replies import Replies, Reply
from bot.outbox.delivery import Outbox
from bot.storage import queue as outbox
from bot.storage.models import OutboxMessage
from bot.storage.queue import Queued
from bot.storage.unit import Transactions
from bot.storage.work import DatabaseCalls, InThreads
from bot.telegram.request import AiohttpRequest
from bot.telegram.sender import Sender
from tests.fakes import FakeBotAPI

CHAT = 4242
LANES = 4
# Chats whose ids differ by a multiple of LANES share a lane.
LANE_CHAT = 5000
T = TypeVar("T")


def outbox_of(
    bot: Bot, sessions: sessionmaker[Session], database: DatabaseCalls, **options: Any
) -> Outbox:
    """Return the outbox as the bot wires it: sending through Telegram's Bot API."""
    return Outbox(Sender(bot), Transactions(sessions), database, **options)


def test_a_message_sent_just_before_stop_is_recorded_as_sent(
    api: FakeBotAPI, sessions: sessionmaker[Session]
) -> None:
    replies = Replies(CHAT)
    replies.send("Hallo")
    with sessions.begin() as db:
        queued = outbox.queue(db, replies, None)

    async def scenario() -> None:
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = outbox_of(bot, sessions, InThreads())
            await sender.start(sweep=False)
            sender.submit(queued)
            await api.async_wait_for_call("sendMessage")
            # Its sent mark may still be gathering with others: stopping must write it.
            await sender.stop()

    asyncio.run(scenario())
    with sessions() as db:
        row = db.scalars(select(OutboxMessage)).one()
    assert row.sent_at is not None
    assert [m.text for m in api.messages(CHAT)] == ["Hallo"]


def queue_text(sessions: sessionmaker[Session], chat_id: int, text: str) -> list[Queued]:
    """Store one message for a chat, as a committed update leaves it.

    The text goes in as given, unsplit: what reaches the outbox some other way (a row
    stored by an older version, a bug) must still not hold up the lane.
    """
    replies = Replies(chat_id, [Reply("send", text=text)])
    with sessions.begin() as db:
        return outbox.queue(db, replies, None)


def test_a_message_that_can_never_be_sent_holds_up_no_other_chat(
    api: FakeBotAPI, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    # Three chats in one lane; the first two messages can never be sent.
    too_long, unencodable, fine = LANE_CHAT, LANE_CHAT + LANES, LANE_CHAT + 2 * LANES
    queued = [
        *queue_text(sessions, too_long, "Lang verhaal " * 400),  # Telegram: message is too long
        *queue_text(sessions, unencodable, "Half teken \ud83d"),  # a lone surrogate
        *queue_text(sessions, fine, "Hallo"),
    ]

    async def scenario() -> None:
        # The bot's own transport: how it encodes a request decides what can be sent.
        request = AiohttpRequest()
        async with Bot(api.token, base_url=api.base_url, request=request) as bot:
            sender = outbox_of(bot, sessions, InThreads(), lanes=LANES)
            await sender.start(sweep=False)
            sender.submit(queued)
            await asyncio.wait_for(sender.idle(), 5)
            await sender.stop()

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    assert [m.text for m in api.messages(fine)] == ["Hallo"]
    with sessions() as db:
        rows = {row.chat_id: row for row in db.scalars(select(OutboxMessage))}
    # Given up for good, with the kind of error, so no sweep tries them again.
    assert rows[too_long].sent_at is not None
    assert rows[too_long].last_error == "BadRequest"
    assert rows[unencodable].sent_at is not None
    assert rows[unencodable].last_error == "UnicodeEncodeError"
    assert rows[fine].last_error is None
    assert "Lang verhaal" not in caplog.text
    assert "Half teken" not in caplog.text
    assert "Traceback" not in caplog.text


def test_a_sender_whose_claim_was_taken_over_does_not_send(
    api: FakeBotAPI, sessions: sessionmaker[Session]
) -> None:
    [mine] = queue_text(sessions, CHAT, "Eén keer")
    # This sender was held up past the reclaim time; meanwhile a sweep elsewhere took the
    # message over (and sends it itself).
    held_up = replace(mine, claimed=time.monotonic() - 60)
    with sessions.begin() as db:
        db.execute(update(OutboxMessage).values(claim=OutboxMessage.claim + 1))

    async def scenario() -> None:
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = outbox_of(bot, sessions, InThreads(), reclaim_after=30)
            await sender.start(sweep=False)
            sender.submit([held_up])
            await asyncio.wait_for(sender.idle(), 5)
            await sender.stop()

    asyncio.run(scenario())
    assert api.calls_to("sendMessage") == []
    with sessions() as db:
        row = db.scalars(select(OutboxMessage)).one()
    assert (row.claim, row.sent_at) == (1, None)  # the other sender's to send and record


def test_a_sender_that_still_holds_an_old_claim_renews_it_and_sends(
    api: FakeBotAPI, sessions: sessionmaker[Session]
) -> None:
    [mine] = queue_text(sessions, CHAT, "Toch verstuurd")
    held_up = replace(mine, claimed=time.monotonic() - 60)

    async def scenario() -> None:
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = outbox_of(bot, sessions, InThreads(), reclaim_after=30)
            await sender.start(sweep=False)
            sender.submit([held_up])
            await asyncio.wait_for(sender.idle(), 5)
            await sender.stop()

    asyncio.run(scenario())
    assert [m.text for m in api.messages(CHAT)] == ["Toch verstuurd"]


def test_a_message_a_dead_process_left_goes_out_soon_after_it_may_be_taken_over(
    api: FakeBotAPI, sessions: sessionmaker[Session]
) -> None:
    # Claimed a moment ago by a process that then died: too fresh for the sweep at start.
    queue_text(sessions, CHAT, "Na de herstart")

    async def scenario() -> float:
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = outbox_of(bot, sessions, InThreads(), reclaim_after=1)
            started = time.monotonic()
            await sender.start()
            await api.async_wait_for_message(CHAT, contains="Na de herstart", timeout=8)
            waited = time.monotonic() - started
            await sender.stop()
            return waited

    # Within about the reclaim time, not a whole sweep interval (10 s) later.
    assert asyncio.run(scenario()) < 5


class BusyAtFirst(InThreads):
    """The database as the sender sees it: busy for the first `failures` urgent writes."""

    def __init__(self, failures: int) -> None:
        self.failures = failures

    async def call_first(self, work: Callable[..., T], *arguments: Any) -> T:
        if self.failures > 0:
            self.failures -= 1
            raise OperationalError("UPDATE outbox", {}, sqlite3.OperationalError("locked"))
        return await super().call_first(work, *arguments)


def test_a_sent_mark_the_busy_database_refused_is_written_once_it_answers(
    api: FakeBotAPI, sessions: sessionmaker[Session]
) -> None:
    [queued] = queue_text(sessions, CHAT, "Eén keer maar")

    async def scenario() -> None:
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = outbox_of(bot, sessions, BusyAtFirst(failures=2), reclaim_after=30)
            await sender.start(sweep=False)
            sender.submit([queued])
            await asyncio.wait_for(sender.idle(), 10)
            await sender.stop()

    asyncio.run(scenario())
    # Unrecorded, the sweep would have sent it a second time.
    with sessions() as db:
        row = db.scalars(select(OutboxMessage)).one()
    assert (row.sent_at is not None, row.last_error) == (True, None)
    assert [m.text for m in api.messages(CHAT)] == ["Eén keer maar"]


def test_a_sent_mark_still_waiting_for_the_database_at_stop_is_written_by_stop(
    api: FakeBotAPI, sessions: sessionmaker[Session]
) -> None:
    [queued] = queue_text(sessions, CHAT, "Net op tijd")

    async def scenario() -> None:
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = outbox_of(bot, sessions, BusyAtFirst(failures=1000), reclaim_after=30)
            await sender.start(sweep=False)
            sender.submit([queued])
            await api.async_wait_for_call("sendMessage")
            await asyncio.sleep(0.2)  # the first record has failed by now
            await sender.stop(grace=0.1)

    asyncio.run(scenario())
    with sessions() as db:
        row = db.scalars(select(OutboxMessage)).one()
    assert row.sent_at is not None


def test_a_row_whose_payload_cannot_be_read_is_given_up_and_the_sweep_goes_on(
    api: FakeBotAPI, sessions: sessionmaker[Session]
) -> None:
    # Left by a crash: never claimed since. The first was written by a newer version.
    with sessions.begin() as db:
        for chat_id, payload in (
            (CHAT, {"action": "send", "text": "Van later", "silent": True}),
            (CHAT + 1, {"action": "send", "text": "Nog te sturen"}),
        ):
            db.add(OutboxMessage(chat_id=chat_id, action="send", payload=payload, claimed_at=None))

    async def scenario() -> int:
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = outbox_of(bot, sessions, InThreads(), reclaim_after=30)
            await sender.start(sweep=False)
            taken = await sender.sweep()
            await asyncio.wait_for(sender.idle(), 5)
            await sender.stop()
            return taken

    assert asyncio.run(scenario()) == 1
    assert [m.text for m in api.messages(CHAT + 1)] == ["Nog te sturen"]
    with sessions() as db:
        unreadable = db.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == CHAT)).one()
    assert unreadable.sent_at is not None
    assert unreadable.last_error == "TypeError"
    assert api.messages(CHAT) == []


def test_a_staff_message_recalled_or_rewritten_while_it_waits_in_a_lane_is_not_sent_as_it_was(
    api: FakeBotAPI, sessions: sessionmaker[Session]
) -> None:
    # Both were just claimed by this sender; then a family in them was erased: one was
    # deleted, the other given the text of its other families (and claimed anew).
    [recalled] = queue_text(sessions, CHAT, "Gezin 1: bel 0612345678")
    [rewritten] = queue_text(sessions, CHAT + 1, "Gezin 1: bel 0612345678. Gezin 2")
    with sessions.begin() as db:
        db.execute(delete(OutboxMessage).where(OutboxMessage.id == recalled.outbox_id))
        db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == rewritten.outbox_id)
            .values(claim=OutboxMessage.claim + 1, claimed_at=None)
        )
    held = [replace(q, reply=replace(q.reply, carrying=(1, 2))) for q in (recalled, rewritten)]

    async def scenario() -> None:
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = outbox_of(bot, sessions, InThreads(), reclaim_after=30)
            await sender.start(sweep=False)
            sender.submit(held)
            await asyncio.wait_for(sender.idle(), 5)
            await sender.stop()

    asyncio.run(scenario())
    assert api.calls_to("sendMessage") == []
