"""The composition root builds a complete bot: given a transport and a clock, it serves."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from pathlib import Path

from pydantic import SecretStr

from bot.clock import aware
from bot.messages.incoming import BotCommand, CommandSent, Incoming
from bot.settings import Settings
from bot.storage.models import ProcessedUpdate
from bot.system.build import build_system
from bot.system.lifecycle import Lifecycle
from tests.fakes.clock import FakeClock, amsterdam
from tests.fakes.transport import InMemoryTelegram

PARENT = 4242
# Nothing listens there: a call that went past the transport would fail the test.
NOWHERE = "http://127.0.0.1:9/bot"


def settings_for(database_url: str, tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        data_dir=tmp_path,
        telegram_bot_token=SecretStr("123456:in-memory"),
        telegram_api_base_url=NOWHERE,
        privacy_url="https://teststad.example.nl/privacy",
    )


def test_a_system_from_the_root_takes_an_update_and_sends_its_reply(
    database_url: str, tmp_path: Path
) -> None:
    telegram = InMemoryTelegram()
    clock = FakeClock(amsterdam(2026, 12, 7, 9, 0))
    lifecycle = Lifecycle(
        build_system(settings_for(database_url, tmp_path), clock=clock, transport=telegram)
    )
    lifecycle.prepare()
    start = Incoming(1, PARENT, PARENT, "nl", "Ouder", CommandSent(BotCommand.START, ""))

    async def serve() -> None:
        async with lifecycle.running():
            system = lifecycle.system
            assert await system.handler(start) is None
            await system.sender.idle()

    asyncio.run(serve())
    # The update is recorded at the clock's time: the root's clock is the one "now".
    with lifecycle.system.storage.sessions() as db:
        taken = db.get(ProcessedUpdate, 1)
    assert taken is not None
    assert aware(taken.processed_at) == clock.now()
    [reply] = telegram.sent("sendMessage")
    assert reply["chat_id"] == PARENT
    assert reply["text"].startswith("Kies uw taal.")
    assert reply["reply_markup"]["inline_keyboard"]  # the languages to choose from


def test_building_the_system_starts_nothing(database_url: str, tmp_path: Path) -> None:
    telegram = InMemoryTelegram()
    threads = threading.active_count()
    system = build_system(settings_for(database_url, tmp_path), transport=telegram)
    assert system.handler is not None  # every part up to the handler and its sender
    assert system.jobs is not None
    assert system.translator is not None
    # No Telegram call, no database thread, no translator thread, no child process.
    assert telegram.calls == []
    assert threading.active_count() == threads
    assert multiprocessing.active_children() == []
    system.work.shutdown()
    system.storage.close()
