"""Polling: an update is Telegram's until it is stored; none can stop the ones behind it."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.storage.db import make_engine
from tests.e2e.harness import Parent, Settled, bot_process, running_bot
from tests.fakes import FakeBotAPI, callback, user


@contextmanager
def busy_database(database_url: str) -> Iterator[None]:
    """Keep the bot from storing any update while the block runs, as a long writer would."""
    engine = make_engine(database_url)
    try:
        # On SQLite our engine begins with BEGIN IMMEDIATE: this holds the one write lock.
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("LOCK TABLE processed_updates IN ACCESS EXCLUSIVE MODE"))
            else:
                connection.execute(text("SELECT 1"))
            yield
    finally:
        engine.dispose()


def stays_pending(api: FakeBotAPI, update_id: int, seconds: float) -> bool:
    """Tell whether the update stays unconfirmed for `seconds` (PTB confirmed within one poll)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if update_id not in api.pending_update_ids():
            return False
        time.sleep(0.05)
    return True


def test_an_update_fetched_while_the_database_is_busy_survives_a_kill(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    database_url: str,
    tmp_path: Path,
) -> None:
    log = tmp_path / "bot.log"
    parent = Parent(api, settled, 851)
    with bot_process(environment, log) as process:
        asyncio.run(parent.send("/start 16AH00"))  # the bot is up and serving
        message, data = parent.find("Nederlands")
        with busy_database(database_url):
            press = callback(parent.user, message, data)
            update_id = api.push_update(press)
            api.wait_for(
                lambda: update_id in api.fetched_update_ids(),
                timeout=20,
                what="the bot to fetch the press",
            )
            # Not stored, so not confirmed: the next poll must not move past it.
            assert stays_pending(api, update_id, seconds=2.0)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    with bot_process(environment, log):
        asyncio.run(settled.wait(update_id, timeout=60))
    assert sum("Wilt u meedoen?" in t for t in parent.texts()) == 1
    press_id = press["callback_query"]["id"]
    answers = api.calls_to("answerCallbackQuery")
    assert [c.params["callback_query_id"] for c in answers].count(press_id) == 1
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_an_unreadable_update_is_logged_once_and_never_holds_up_the_next(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            broken = api.push_raw_update({"message": {"from": {"id": "Amal"}, "text": "hoi"}})
            parent = Parent(api, settled, 852)
            await parent.send("/start")
            assert "Kies uw taal." in parent.last_text
            await api.async_wait_for(
                lambda: broken not in api.pending_update_ids(), what="the broken update confirmed"
            )

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    said = [r for r in caplog.records if "unreadable" in r.getMessage()]
    assert len(said) == 1
    assert said[0].levelno == logging.WARNING
    assert "Amal" not in caplog.text


def forged_press(sender: dict[str, Any], data: str, index: int) -> dict[str, Any]:
    """Return a press with data no button of ours carries, on a message the bot never sent."""
    message = {
        "message_id": 900 + index,
        "date": 1,
        "chat": {"id": sender["id"], "type": "private"},
    }
    return {
        "callback_query": {
            "id": f"forged-{index}",
            "from": sender,
            "chat_instance": "1",
            "data": data,
            "message": message,
        }
    }


def test_forged_presses_are_answered_once_and_never_stall_a_parent(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    caplog: pytest.LogCaptureFixture,
) -> None:
    forger = user(853, "Ouder")
    huge = "9" * 30
    # 300 such presses, each retried for 15 minutes in a slot of its own, stalled everyone.
    forged = [f"fu:c:{huge}:1", f"fu:h:1:{huge}", f"c:{huge}:x", f"del:yes:{huge}"] * 75

    async def scenario() -> float:
        async with running_bot(environment):
            for index, data in enumerate(forged):
                api.push_update(forged_press(forger, data, index))
            started = time.monotonic()
            parent = Parent(api, settled, 854)
            await parent.send("/start")
            waited = time.monotonic() - started
            await api.async_wait_for(
                lambda: len(api.calls_to("answerCallbackQuery")) >= len(forged),
                what="every forged press answered",
            )
            return waited

    with caplog.at_level(logging.INFO):
        waited = asyncio.run(scenario())
    assert waited < 30  # each failure was retried for 15 minutes, 256 at a time
    answered = [c.params["callback_query_id"] for c in api.calls_to("answerCallbackQuery")]
    assert sorted(answered) == sorted(f"forged-{i}" for i in range(len(forged)))
    assert not [r for r in caplog.records if "retry" in r.getMessage() or "again" in r.getMessage()]
    assert huge not in caplog.text
