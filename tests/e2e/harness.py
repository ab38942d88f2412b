"""Run the real bot (python-telegram-bot, the composition root, database) on the fake Bot API."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.clock import Clock
from bot.settings import PROJECT_DIR, Settings
from bot.storage.db import make_engine, session_factory
from bot.storage.models import OutboxMessage, ProcessedUpdate, School
from bot.system.build import build_system
from bot.system.lifecycle import Lifecycle
from bot.telegram.polling import Poller
from tests.fakes import FakeBotAPI, SentMessage, callback, command, text_message, user

SCHOOLS = [
    ("16AH00", "De Regenboog", "UTRECHT", "regenboog-staff-token-16AH00-aaaaaaaaaa"),
    ("17BX01", "Het Anker", "ZWOLLE", "anker-staff-token-17BX01-bbbbbbbbbbbbbbb"),
]
COORDINATOR = 9001


def bot_environment(
    api: FakeBotAPI, database_url: str, tmp: Path, flows_dir: Path = PROJECT_DIR / "flows"
) -> dict[str, str]:
    """Return the settings a bot process needs to talk to the fake API and the test database."""
    return {
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp / "data"),
        "FLOWS_DIR": str(flows_dir),
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_BOT_USERNAME": "ouderbrug_test_bot",
        # The fake has no flood limits; Telegram's own 30/s would only slow the tests.
        "TELEGRAM_RATE_LIMIT": "1000",
        "COORDINATOR_IDS": str(COORDINATOR),
        # As a real installation has: without it the bot warns at start.
        "ORGANISATION_NAME": "Gemeente Teststad",
        "PRIVACY_URL": "https://teststad.example.nl/privacy",
        "LOG_LEVEL": "INFO",
        "PTB_TIMEDELTA": "true",
        "NO_PROXY": "127.0.0.1,localhost",
    }


def seed_schools(database_url: str) -> None:
    """Put the two test schools in the database."""
    engine = make_engine(database_url)
    try:
        with session_factory(engine).begin() as db:
            for code, name, town, token in SCHOOLS:
                if db.get(School, code) is None:
                    db.add(School(code=code, name=name, town=town, staff_token=token))
    finally:
        engine.dispose()


@dataclass
class Settled:
    """Waits until the bot has taken an update and sent everything it queued."""

    database_url: str
    _engine: Any = field(default=None)

    def __post_init__(self) -> None:
        self._engine = make_engine(self.database_url)

    def close(self) -> None:
        """Close the connections."""
        self._engine.dispose()

    def done(self, update_id: int) -> bool:
        """Tell whether the update took effect and nothing waits in the outbox."""
        with session_factory(self._engine)() as db:
            taken = db.get(ProcessedUpdate, update_id) is not None
            unsent = db.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None))
            )
        return taken and not unsent

    async def wait(self, update_id: int, timeout: float = 20.0) -> None:
        """Wait for `done`, polling; fail with a clear message after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not await asyncio.to_thread(self.done, update_id):
            if loop.time() > deadline:
                raise AssertionError(f"update {update_id} was not settled in {timeout}s")
            await asyncio.sleep(0.02)


@asynccontextmanager
async def running_bot(
    environment: dict[str, str], clock: Clock | None = None
) -> AsyncIterator[Lifecycle]:
    """Run the bot in this process by long polling, as `ouderbrug run` does."""
    previous = {k: os.environ.get(k) for k in environment}
    os.environ.update(environment)
    try:
        lifecycle = Lifecycle(build_system(Settings(), clock=clock))
        lifecycle.prepare()
        system = lifecycle.system
        poller = Poller(system.telegram.bot, system.handler, timeout=1)
        async with lifecycle.running():
            polling = asyncio.create_task(poller.run())
            try:
                yield lifecycle
            finally:
                poller.stop()
                await polling
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def bot_process(environment: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run `ouderbrug run` as a real process; kill it when the block ends."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env={**os.environ, **environment},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


class Parent:
    """A parent on a phone: sends messages and presses buttons, then waits for the bot."""

    def __init__(
        self, api: FakeBotAPI, settled: Settled, user_id: int, language: str | None = "nl"
    ):
        self.api = api
        self.settled = settled
        self.user = user(user_id, "Ouder", language)
        self.chat_id = user_id

    async def send(self, text: str) -> None:
        """Type a message (or a /command) and wait until the bot has answered it."""
        if text.startswith("/start"):
            _, _, payload = text.partition(" ")
            update = command(self.user, "/start", payload or None)
        else:
            update = text_message(self.user, text)
        await self._push(update)

    async def press(self, label: str) -> str:
        """Press the newest button with this label (or starting with it); return the press's id."""
        message, data = self.find(label)
        update = callback(self.user, message, data)
        await self._push(update)
        return str(update["callback_query"]["id"])

    async def answer_to(self, press: str) -> str | None:
        """Wait for the bot's answer to a press, which goes out after the update settled."""
        call = await self.api.async_wait_for_call(
            "answerCallbackQuery", lambda c: c.params.get("callback_query_id") == press
        )
        text = call.params.get("text")
        return None if text is None else str(text)

    async def push(self, update: dict[str, Any]) -> int:
        """Push an update and wait until it is settled; return its id."""
        return await self._push(update)

    def find(self, label: str) -> tuple[SentMessage, str]:
        """Return the newest message with a button of this label, and the button's data."""
        for message in reversed(self.api.messages(self.chat_id)):
            for button in message.buttons:
                text = str(button.get("text", "")).lstrip("✓• ")
                if "callback_data" in button and (text == label or text.startswith(label)):
                    return message, str(button["callback_data"])
        raise AssertionError(f"no button {label!r}:\n{self.api.dump()}")

    @property
    def last_text(self) -> str:
        """Return the text of the newest message the bot sent to this parent."""
        return self.api.last_message(self.chat_id).text or ""

    def texts(self) -> list[str]:
        """Return every text the bot sent this parent, oldest first."""
        return [m.text or "" for m in self.api.messages(self.chat_id)]

    async def _push(self, update: dict[str, Any]) -> int:
        update_id = self.api.push_update(update)
        await self.settled.wait(update_id)
        return update_id
