"""Crashes, restarts and a failing Bot API: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.messages.replies import Reply
from bot.storage.db import make_engine, session_factory
from bot.storage.models import OutboxMessage, utcnow
from bot.storage.models import Parent as ParentRow
from bot.storage.queue import Queued
from tests.e2e.harness import Parent, Settled, bot_process, running_bot
from tests.e2e.test_parents import responses
from tests.fakes import FakeBotAPI


def test_the_bot_killed_mid_flow_and_restarted_goes_on_where_the_parent_was(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    database_url: str,
    tmp_path: Path,
) -> None:
    environment = {**environment, "OUTBOX_RECLAIM_SECONDS": "1"}
    log = tmp_path / "bot.log"
    parent = Parent(api, settled, 801)

    async def before_the_crash() -> int:
        await parent.send("/start 16AH00")
        await parent.press("Nederlands")
        await parent.press("Ja, ik doe mee")
        await parent.press("Groep 6")
        # The bot dies (SIGKILL: no clean shutdown) while the parent is on the devices question.
        return len(api.messages(parent.chat_id))

    async def after_the_restart() -> None:
        await parent.press("Tablet")
        for label in ("Klaar", "Nee", "Goed", "Ja", "Overslaan", "Overslaan", "Via deze chat"):
            await parent.press(label)
        await parent.press("Alles klopt, versturen")

    with bot_process(environment, log) as process:
        sent_before = asyncio.run(before_the_crash())
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert "Welke apparaten" in parent.last_text
    with bot_process(environment, log):
        asyncio.run(after_the_restart())
    texts = parent.texts()
    assert sum("Welke apparaten" in t for t in texts) == 1  # not asked again after the restart
    assert len(texts) > sent_before
    [response] = responses(database_url)
    assert response.answers["grade"] == "groep_6"
    assert response.answers["devices"] == ["tablet"]
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_an_update_sent_while_the_bot_is_down_is_not_lost(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, tmp_path: Path
) -> None:
    parent = Parent(api, settled, 802)
    log = tmp_path / "bot.log"
    with bot_process(environment, log):
        asyncio.run(parent.send("/start 16AH00"))
    # Down: the parent picks a language; Telegram keeps the update until the bot polls again.
    message, data = parent.find("Nederlands")
    from tests.fakes import callback

    update_id = api.push_update(callback(parent.user, message, data))
    with bot_process(environment, log):
        asyncio.run(settled.wait(update_id))
    assert "Wilt u meedoen?" in parent.last_text


def test_replies_survive_a_bot_api_that_fails_for_a_while(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 803)
            await parent.send("/start 16AH00")
            api.fail("sendMessage", status=500, times=2)
            await parent.press("Nederlands")
            assert "Wilt u meedoen?" in parent.last_text
            api.fail("sendMessage", status=429, retry_after=1, times=1)
            await parent.press("Ja, ik doe mee")
            assert "In welke groep" in parent.last_text
            questions = [t for t in parent.texts() if "In welke groep" in t]
            assert len(questions) == 1

    asyncio.run(scenario())
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            outbox = db.scalars(select(OutboxMessage)).all()
    finally:
        engine.dispose()
    assert all(row.sent_at is not None and row.last_error is None for row in outbox)


def test_a_parent_who_blocked_the_bot_is_marked_and_nothing_breaks(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 804)
            await parent.send("/start 16AH00")
            api.block(parent.chat_id)
            await parent.press("Nederlands")
            engine = make_engine(database_url)
            try:
                with session_factory(engine)() as db:
                    row = db.scalars(select(ParentRow)).one()
                    assert row.blocked_at is not None
            finally:
                engine.dispose()
            api.unblock(parent.chat_id)
            await parent.send("/start")
            assert "Wilt u meedoen?" in parent.last_text

    asyncio.run(scenario())


def test_a_reply_committed_but_never_sent_is_sent_after_a_restart(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    # What a process leaves behind when it dies between commit and send.
    engine = make_engine(database_url)
    try:
        with session_factory(engine).begin() as db:
            db.add(
                OutboxMessage(
                    chat_id=805,
                    action="send",
                    payload=Reply("send", text="Vraag 2 van 12").to_payload(),
                    claimed_at=utcnow() - timedelta(hours=1),
                )
            )
    finally:
        engine.dispose()

    async def scenario() -> None:
        async with running_bot(environment):
            await api.async_wait_for_message(805, contains="Vraag 2 van 12")

    asyncio.run(scenario())
    assert [m.text for m in api.messages(805)] == ["Vraag 2 van 12"]


def test_a_message_handed_to_the_sender_twice_is_sent_once(
    api: FakeBotAPI, environment: dict[str, str], database_url: str
) -> None:
    engine = make_engine(database_url)
    try:
        with session_factory(engine).begin() as db:
            row = OutboxMessage(
                chat_id=806,
                action="send",
                payload=Reply("send", text="Eén keer").to_payload(),
                claimed_at=utcnow(),
            )
            db.add(row)
            db.flush()
            queued = Queued(row.id, 806, Reply("send", text="Eén keer"))
    finally:
        engine.dispose()

    async def scenario() -> None:
        async with running_bot(environment) as runtime:
            assert runtime.system.sender is not None
            # As when a sweep takes up a message a lane is still waiting to send.
            runtime.system.sender.submit([queued])
            runtime.system.sender.submit([queued])
            await runtime.system.sender.idle()

    asyncio.run(scenario())
    assert [m.text for m in api.messages(806)] == ["Eén keer"]
