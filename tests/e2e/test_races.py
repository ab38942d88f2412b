"""Several webhook workers on one database: a parent's quick presses all take effect."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.storage.db import make_engine, session_factory
from bot.storage.models import Parent as ParentRow
from bot.storage.models import ParentSession
from tests.e2e.harness import Settled
from tests.fakes import FakeBotAPI, callback, command, user

SECRET = "race-secret-of-the-two-workers-0123456789"
PARENTS = 30
FIRST_CHAT = 7_000_100


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def webhook_workers(environment: dict[str, str], log: Path, workers: int) -> Iterator[str]:
    """Run `ouderbrug run --webhook --workers N`; yield its webhook URL once it is healthy."""
    port = free_port()
    settings = {
        **os.environ,
        **environment,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_URL": "",
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--webhook", "--workers", str(workers)],
            env=settings,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(port, process)
        yield f"http://127.0.0.1:{port}/telegram"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def _wait_healthy(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("the bot ended before it served")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("the bot did not become healthy")


class WebhookParent:
    """A parent whose updates Telegram posts to the bot's webhook."""

    def __init__(self, api: FakeBotAPI, settled: Settled, url: str, user_id: int) -> None:
        self.api = api
        self.settled = settled
        self.url = url
        self.user = user(user_id, "Ouder", "nl")
        self.chat_id = user_id

    async def post(self, update: dict[str, object]) -> int:
        """Post one update, as Telegram does; return its id once the webhook took it."""
        status = await self.api.async_deliver_webhook(self.url, update, SECRET)
        assert status == 200, status
        return int(str(update["update_id"]))

    async def start(self) -> None:
        """Arrive by the school's link and wait for the answer."""
        await self.settled.wait(await self.post(command(self.user, "/start", "16AH00")))

    def press_update(self, label: str) -> dict[str, object]:
        """Return the update of pressing the newest button with this label."""
        for message in reversed(self.api.messages(self.chat_id)):
            for button in message.buttons:
                if str(button.get("text", "")).lstrip("✓• ").startswith(label):
                    return callback(self.user, message, str(button["callback_data"]))
        raise AssertionError(f"no button {label!r} in chat {self.chat_id}")

    async def press(self, label: str) -> None:
        """Press a button and wait until the bot has answered it."""
        await self.settled.wait(await self.post(self.press_update(label)))

    async def press_at_once(self, *labels: str) -> None:
        """Press several buttons of one message so quickly that the updates overlap."""
        updates = [self.press_update(label) for label in labels]
        ids = await asyncio.gather(*(self.post(update) for update in updates))
        for update_id in ids:
            await self.settled.wait(update_id)


def devices_pending(database_url: str) -> dict[int, set[str]]:
    """Return, per chat, the devices ticked on the question in progress."""
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            rows = db.execute(
                select(ParentRow.chat_id, ParentSession.state)
                .join(ParentSession, ParentSession.parent_id == ParentRow.id)
                .where(ParentSession.status == "active")
            ).all()
    finally:
        engine.dispose()
    return {chat_id: set(state.get("pending", ())) for chat_id, state in rows}


def test_two_quick_presses_at_two_workers_both_count(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    database_url: str,
    tmp_path: Path,
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several workers share a PostgreSQL database, not an SQLite file")
    log = tmp_path / "bot.log"

    async def scenario(url: str) -> None:
        parents = [WebhookParent(api, settled, url, FIRST_CHAT + n) for n in range(PARENTS)]

        async def to_devices(parent: WebhookParent) -> None:
            await parent.start()
            for label in ("Nederlands", "Ja, ik doe mee", "Groep 6"):
                await parent.press(label)

        await asyncio.gather(*(to_devices(parent) for parent in parents))
        # Each parent ticks two devices so quickly that the presses reach the workers
        # together: each worker's transaction waits for the other's lock.
        await asyncio.gather(*(p.press_at_once("Laptop", "Tablet") for p in parents))

    with webhook_workers(environment, log, workers=2) as url:
        asyncio.run(scenario(url))
    pending = devices_pending(database_url)
    lost = {chat for chat, ticked in pending.items() if ticked != {"computer", "tablet"}}
    assert len(pending) == PARENTS
    assert not lost, f"{len(lost)} of {PARENTS} parents lost a tick: {pending}"
    assert "Traceback" not in log.read_text(encoding="utf-8")
