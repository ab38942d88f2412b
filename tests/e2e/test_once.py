"""Each message once: two senders and a flood wait, a crash right after Telegram answered."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from sqlalchemy import select

from bot.storage.db import make_engine, session_factory
from bot.storage.models import ParentSession
from tests.e2e.harness import SCHOOLS, Parent, Settled, bot_process, running_bot
from tests.e2e.test_digests import answer_everything, families_in
from tests.fakes import FakeBotAPI, SentMessage, callback
from tests.fakes.state import Call

STAFF = 7301
FAMILY = 7302


def test_a_digest_sent_through_a_long_flood_wait_is_not_taken_over_by_the_running_bot(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    # Telegram's flood wait (3 s) is longer than the running bot waits for a claimed
    # message (1 s) before it takes it over as abandoned.
    environment = {**environment, "OUTBOX_RECLAIM_SECONDS": "1"}

    async def scenario() -> None:
        async with running_bot(environment) as runtime:
            assert runtime.system.sender is not None
            await Parent(api, settled, STAFF).send(f"/start staff-{SCHOOLS[0][3]}")
            await answer_everything(Parent(api, settled, FAMILY), urgent=False)
            api.fail("sendMessage", status=429, retry_after=3, times=1)
            command = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "digest",
                "send",
                "16AH00",
                env={**os.environ, **environment},
                stdout=asyncio.subprocess.DEVNULL,
            )
            waited = asyncio.create_task(command.wait())
            deadline = time.monotonic() + 30
            while not waited.done():
                assert time.monotonic() < deadline, "digest send did not end"
                await runtime.system.sender.sweep()  # the running bot looks for abandoned messages
                await asyncio.sleep(0.2)
            assert waited.result() == 0
            await runtime.system.sender.sweep()
            await runtime.system.sender.idle()

    asyncio.run(scenario())
    assert [c.status for c in api.calls_to("sendMessage")].count(429) == 1
    assert families_in(api, STAFF, settled.database_url) == [str(FAMILY)]


def copies(api: FakeBotAPI, chat_id: int, text: str) -> list[SentMessage]:
    """Return the bot's messages in a chat that contain `text`, oldest first."""
    return [m for m in api.messages(chat_id) if text in (m.text or "")]


def test_a_crash_right_after_telegram_answered_repeats_at_most_one_message_and_no_answer(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    database_url: str,
    tmp_path: Path,
) -> None:
    environment = {**environment, "OUTBOX_RECLAIM_SECONDS": "1"}
    log = tmp_path / "bot.log"
    parent = Parent(api, settled, 7310)
    outgoing: list[Call] = []

    with bot_process(environment, log) as process:

        def kill_at_the_second_reply(call: Call) -> None:
            # Runs as the fake answers; the bot has not read this answer yet.
            if call.method in ("sendMessage", "editMessageReplyMarkup") and (
                call.params.get("chat_id") == parent.chat_id
            ):
                outgoing.append(call)
                if len(outgoing) == 2:
                    os.kill(process.pid, signal.SIGKILL)

        asyncio.run(parent.send("/start 16AH00"))
        outgoing.clear()
        api.on_call(kill_at_the_second_reply)
        message, data = parent.find("Nederlands")
        update_id = api.push_update(callback(parent.user, message, data))
        process.wait(timeout=30)
    [first, _second] = outgoing
    time.sleep(1.1)  # the dead process's claims have run out
    with bot_process(environment, log):
        asyncio.run(settled.wait(update_id))
        # What the first reply did was recorded before the second went out: not repeated.
        repeats = [c for c in api.calls if c.method == first.method and c.params == first.params]
        assert len(repeats) == 1, api.dump()
        # The second was accepted by Telegram, but the bot died before it heard so: it
        # comes again. The parent answers on both copies; the answer counts once.
        question = "Wilt u meedoen?"
        shown = copies(api, parent.chat_id, question)
        assert len(shown) == 2, api.dump()
        for copy in shown:
            button = next(b for b in copy.buttons if str(b["text"]).startswith("Ja, ik doe mee"))
            pressed = api.push_update(callback(parent.user, copy, str(button["callback_data"])))
            asyncio.run(settled.wait(pressed))
    assert len(copies(api, parent.chat_id, "In welke groep")) == 1
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            [state] = db.scalars(select(ParentSession.state)).all()
    finally:
        engine.dispose()
    assert state["current"] == "grade"
    assert list(state["history"]).count("consent") == 1
    assert "Traceback" not in log.read_text(encoding="utf-8")
