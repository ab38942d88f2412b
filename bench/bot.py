"""Whole-stack throughput and latency: webhook HTTP in, PTB, engine, storage, reply out.

Simulated parents walk the default flow through `ouderbrug run --webhook` (a separate
process, so the load generator does not share its core); replies go to the local fake
Bot API. Latency is from posting an update to the bot's answering question arriving at
the fake API.

Run: python bench/bot.py [--database sqlite|postgresql|both] [--parents 64] [--rounds 3]
Target (issue: Telegram and storage): at least 500 updates/s in one process on SQLite,
p99 at most 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

# This file is named bot.py, so as a script its folder would shadow the `bot` package;
# look in the project folder instead, which also holds tests/ with the fake Bot API.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.settings import PROJECT_DIR  # noqa: E402
from bot.storage.db import make_engine, sqlite_url  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.e2e.harness import seed_schools  # noqa: E402
from tests.fakes import FakeBotAPI, SentMessage, callback, command, text_message, user  # noqa: E402
from tests.fakes.state import Call  # noqa: E402

SECRET = "bench-secret"
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
# One parent's way through the default flow after arriving by a school link.
SCRIPT: list[tuple[str, str]] = [
    ("start", "16AH00"),
    ("press", "Nederlands"),
    ("press", "Ja, ik doe mee"),
    ("press", "Groep 6"),
    ("press", "Tablet"),
    ("press", "Klaar"),
    ("press", "Nee"),
    ("press", "Goed"),
    ("press", "Ja"),
    ("press", "Overslaan"),
    ("type", "Wij hebben thuis geen printer."),
    ("press", "Via deze chat"),
    ("press", "Alles klopt, versturen"),
]


class Replies:
    """Resolves a parent's waiting future when the bot's next question reaches the fake API."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: dict[int, asyncio.Future[float]] = {}

    def expect(self, chat_id: int) -> asyncio.Future[float]:
        """Return a future that gets the arrival time of the chat's next question."""
        self._loop = asyncio.get_running_loop()
        future: asyncio.Future[float] = self._loop.create_future()
        self._waiting[chat_id] = future
        return future

    def heard(self, call: Call) -> None:
        """Called in the fake's thread for each request the bot made."""
        if call.method not in ("sendMessage", "editMessageReplyMarkup"):
            return
        if call.method == "sendMessage" and "reply_markup" not in call.params:
            return  # a message without buttons (the welcome text) precedes the question
        chat_id = int(call.params.get("chat_id", 0))
        arrived = time.perf_counter()
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._resolve, chat_id, arrived)

    def _resolve(self, chat_id: int, arrived: float) -> None:
        future = self._waiting.pop(chat_id, None)
        if future is not None and not future.done():
            future.set_result(arrived)


def newest_button(api: FakeBotAPI, chat_id: int, label: str) -> tuple[SentMessage, str]:
    for message in reversed(api.messages(chat_id)):
        for button in message.buttons:
            if str(button.get("text", "")).lstrip("✓ ").startswith(label):
                return message, str(button["callback_data"])
    raise AssertionError(f"no button {label!r} for chat {chat_id}")


async def parent(
    number: int,
    api: FakeBotAPI,
    client: httpx.AsyncClient,
    url: str,
    replies: Replies,
    latencies: list[float],
    next_id: Callable[[], int],
) -> None:
    """Walk one parent through the flow, one update at a time, timing each."""
    chat_id = 10_000_000 + number
    sender = user(chat_id, "Ouder", "nl")
    for kind, value in SCRIPT:
        if kind == "start":
            update = command(sender, "/start", value)
        elif kind == "type":
            update = text_message(sender, value)
        else:
            message, data = newest_button(api, chat_id, value)
            update = callback(sender, message, data)
        update["update_id"] = next_id()
        if "message" in update:
            # The fake fills these in when updates are pushed; a webhook post carries its own.
            update["message"]["message_id"] = update["update_id"]
        arrived = replies.expect(chat_id)
        posted = time.perf_counter()
        answer = await client.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        answer.raise_for_status()
        try:
            latencies.append(await asyncio.wait_for(arrived, 30) - posted)
        except TimeoutError:
            raise AssertionError(f"no answer to {kind} {value!r} for parent {number}") from None


def cpu_seconds(pid: int) -> float:
    """Return the CPU time a process used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_healthy(port: int, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError("the bot process ended before it was ready")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("the bot did not become healthy")


async def drive(
    api: FakeBotAPI, replies: Replies, port: int, parents: int, first_id: int
) -> tuple[list[float], float]:
    latencies: list[float] = []
    counter = iter(range(first_id, first_id + 10_000_000))
    limits = httpx.Limits(max_connections=parents, max_keepalive_connections=parents)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        url = f"http://127.0.0.1:{port}/telegram"
        started = time.perf_counter()
        await asyncio.gather(
            *(
                parent(first_id + n, api, client, url, replies, latencies, lambda: next(counter))
                for n in range(parents)
            )
        )
        elapsed = time.perf_counter() - started
    return latencies, elapsed


def database(kind: str, folder: Path) -> tuple[str, Callable[[], None]]:
    """Return a fresh, migrated database URL and how to clean it up."""
    if kind == "sqlite":
        return sqlite_url(folder / "bench.sqlite3"), lambda: None
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url, drop


# Called with the migrated database's URL and the scratch folder before the bot starts;
# returns more environment for the bot, and a function called around the measured
# rounds: once before them, and what it returns is called after them for more figures.
Prepare = Callable[[str, Path], tuple[dict[str, str], Callable[[], Callable[[], dict[str, Any]]]]]


def run(kind: str, parents: int, rounds: int, prepare: Prepare | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder, FakeBotAPI(keep_alive=True) as api:
        url, cleanup = database(kind, Path(folder))
        try:
            upgrade(url)
            seed_schools(url)
            extra, around = prepare(url, Path(folder)) if prepare else ({}, None)
            port = free_port()
            environment = {
                **os.environ,
                "DATABASE_URL": url,
                "FLOWS_DIR": str(PROJECT_DIR / "flows"),
                "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "TELEGRAM_RATE_LIMIT": "100000",
                "WEBHOOK_SECRET": SECRET,
                "WEBHOOK_PORT": str(port),
                "WEBHOOK_URL": "",
                "LOG_LEVEL": "WARNING",
                "PTB_TIMEDELTA": "true",
                "NO_PROXY": "127.0.0.1,localhost",
                # No translation packages unless `prepare` brings some.
                "TRANSLATION_PACKAGES_DIR": str(Path(folder) / "packages"),
                **extra,
            }
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--webhook"],
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=open(Path(folder) / "bot.log", "wb"),  # noqa: SIM115
            )
            try:
                asyncio.run(wait_healthy(port, process))
                replies = Replies()
                api.on_call(replies.heard)
                # A warm-up round: imports, caches and connection pools, not measured.
                asyncio.run(drive(api, replies, port, min(parents, 8), 1))
                latencies: list[float] = []
                elapsed = 0.0
                finish = around() if around else None
                cpu_before = cpu_seconds(process.pid)
                for round_number in range(rounds):
                    got, took = asyncio.run(
                        drive(api, replies, port, parents, 100_000 * (round_number + 1))
                    )
                    latencies += got
                    elapsed += took
                cpu = cpu_seconds(process.pid) - cpu_before
                more = finish() if finish else {}
            finally:
                process.terminate()
                process.wait(timeout=30)
        finally:
            cleanup()
    latencies.sort()
    return {
        "database": kind,
        "updates": len(latencies),
        "updates_per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "cpu_ms_per_update": cpu / len(latencies) * 1000,
        **more,
    }


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--parents", type=int, default=64, help="parents answering at once")
    parser.add_argument("--rounds", type=int, default=3, help="times every parent walks the flow")
    arguments = parser.parse_args()
    kinds = ("sqlite", "postgresql") if arguments.database == "both" else (arguments.database,)
    for kind in kinds:
        figures = run(kind, arguments.parents, arguments.rounds)
        print(
            f"{figures['database']}: {figures['updates']} updates, "
            f"{figures['updates_per_second']:.0f} updates/s, "
            f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
            f"bot CPU {figures['cpu_ms_per_update']:.2f} ms per update"
        )


if __name__ == "__main__":
    main()
