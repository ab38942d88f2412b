"""Whole-stack throughput and latency: webhook HTTP in, PTB, engine, storage, reply out.

Simulated parents walk the default flow through `ouderbrug run --webhook` (a separate
process); replies go to the local fake Bot API, served from the load generator's own
event loop so that the load costs as little CPU as it can. Latency is from posting an
update to the bot's answering question arriving at the fake API.

Two loads: a fixed number of parents at once, each answering as soon as the bot asked
(the most the bot does), and a fixed rate of updates offered on a schedule that does not
wait for the bot (the latency at that rate; an update is timed from when it was due).

Run: python bench/bot.py [--database sqlite|postgresql|both] [--parents 32] [--rounds 3]
                         [--rate 500] [--seconds 10]
Target (issue: Telegram and storage): at least 500 updates/s in one process on SQLite,
p99 at most 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Any

# This file is named bot.py, so as a script its folder would shadow the `bot` package;
# look in the project folder instead, which also holds tests/ with the fake Bot API.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import aiohttp  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.settings import PROJECT_DIR, sqlite_url  # noqa: E402
from bot.storage.db import make_engine  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.e2e.harness import seed_schools  # noqa: E402
from tests.fakes import FakeBotAPI, SentMessage, callback, command, text_message, user  # noqa: E402
from tests.fakes.state import Call  # noqa: E402

SECRET = "bench-webhook-secret-0123456789abcdef"
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
        self._waiting: dict[int, asyncio.Future[float]] = {}

    def expect(self, chat_id: int) -> asyncio.Future[float]:
        """Return a future that gets the arrival time of the chat's next question."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[chat_id] = future
        return future

    def heard(self, call: Call) -> None:
        """Called for each request the bot made (on the loop: the fake serves from it)."""
        if call.method not in ("sendMessage", "editMessageReplyMarkup"):
            return
        if call.method == "sendMessage" and "reply_markup" not in call.params:
            return  # a message without buttons (the welcome text) precedes the question
        future = self._waiting.pop(int(call.params.get("chat_id", 0)), None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())


def newest_button(api: FakeBotAPI, chat_id: int, label: str) -> tuple[SentMessage, str]:
    for message in reversed(api.messages(chat_id)):
        for button in message.buttons:
            if str(button.get("text", "")).lstrip("✓ ").startswith(label):
                return message, str(button["callback_data"])
    raise AssertionError(f"no button {label!r} for chat {chat_id}")


class Load:
    """Simulated parents posting updates to the bot's webhook, timing each answer."""

    def __init__(self, api: FakeBotAPI, client: aiohttp.ClientSession, url: str) -> None:
        self._api = api
        self._client = client
        self._url = url
        self._replies = Replies()
        api.on_call(self._replies.heard)
        self._next_update = itertools.count(1)
        self._next_chat = itertools.count(10_000_000)
        self.latencies: list[float] = []

    def parent(self) -> int:
        """Return the chat of a parent who has not talked to the bot yet."""
        return next(self._next_chat)

    async def step(self, chat_id: int, number: int, since: float | None = None) -> None:
        """Post step `number` of the script for this parent; time it until the answer."""
        kind, value = SCRIPT[number]
        sender = user(chat_id, "Ouder", "nl")
        if kind == "start":
            update = command(sender, "/start", value)
        elif kind == "type":
            update = text_message(sender, value)
        else:
            message, data = newest_button(self._api, chat_id, value)
            update = callback(sender, message, data)
        update["update_id"] = next(self._next_update)
        if "message" in update:
            # The fake fills these in when updates are pushed; a webhook post carries its own.
            update["message"]["message_id"] = update["update_id"]
        arrived = self._replies.expect(chat_id)
        posted = time.perf_counter() if since is None else since
        async with self._client.post(
            self._url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        ) as answer:
            answer.raise_for_status()
        try:
            self.latencies.append(await asyncio.wait_for(arrived, 30) - posted)
        except TimeoutError:
            raise AssertionError(f"no answer to {kind} {value!r} in chat {chat_id}") from None

    async def walk(self) -> None:
        """One new parent through the whole flow, each update as soon as the last was answered."""
        chat_id = self.parent()
        for number in range(len(SCRIPT)):
            await self.step(chat_id, number)

    async def closed(self, parents: int, rounds: int) -> float:
        """Keep `parents` parents busy at once; return the seconds it took."""
        started = time.perf_counter()
        for _ in range(rounds):
            await asyncio.gather(*(self.walk() for _ in range(parents)))
        return time.perf_counter() - started

    async def offered(self, rate: float, seconds: float) -> float:
        """Post `rate` updates per second, on a schedule that does not wait for the bot.

        Each update is timed from when it was due, so a bot that falls behind shows it in
        its latency instead of slowing the load down. Enough parents take turns that one
        is free whenever an update is due; return the seconds it took.
        """
        free: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
        for _ in range(max(8, int(rate * 0.25))):
            free.put_nowait((self.parent(), 0))
        running: set[asyncio.Task[None]] = set()

        async def one(chat_id: int, number: int, due: float) -> None:
            await self.step(chat_id, number, since=due)
            number += 1
            free.put_nowait((chat_id, number) if number < len(SCRIPT) else (self.parent(), 0))

        started = time.perf_counter()
        for k in range(int(rate * seconds)):
            due = started + k / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            chat_id, number = await free.get()
            task = asyncio.create_task(one(chat_id, number, due))
            running.add(task)
            task.add_done_callback(running.discard)
        await asyncio.gather(*running)
        return time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """Return the CPU time a process used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_healthy(client: aiohttp.ClientSession, port: int, process: Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError("the bot process ended before it was ready")
        try:
            async with client.get(f"http://127.0.0.1:{port}/healthz") as answer:
                if answer.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError("the bot did not become healthy")


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
# returns more environment for the bot, and a function called before the measured loads,
# whose result is called after them for more figures.
Prepare = Callable[[str, Path], tuple[dict[str, str], Callable[[], Callable[[], dict[str, Any]]]]]


@dataclass(frozen=True)
class Figures:
    """What one load measured."""

    label: str
    updates: int
    per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # the bot's, per update
    load_cpu_ms: float  # this process's (load and fake Bot API), per update

    def line(self) -> str:
        return (
            f"{self.label}: {self.updates} updates, {self.per_second:.0f} updates/s, "
            f"p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, "
            f"bot CPU {self.cpu_ms:.2f} ms per update "
            f"(load generator and fake API {self.load_cpu_ms:.2f} ms)"
        )


def start_bot(
    api: FakeBotAPI, url: str, port: int, folder: Path, extra: dict[str, str]
) -> Popen[bytes]:
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
        # No translation packages unless `extra` brings some.
        "TRANSLATION_PACKAGES_DIR": str(folder / "packages"),
        **extra,
    }
    return Popen(
        [sys.executable, "-m", "bot", "run", "--webhook"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "bot.log").open("wb"),
    )


async def measure(
    kind: str,
    url: str,
    folder: Path,
    arguments: argparse.Namespace,
    extra: dict[str, str],
    around: Callable[[], Callable[[], dict[str, Any]]] | None,
) -> tuple[list[Figures], dict[str, Any]]:
    """Start the bot on a database, load it both ways, and return what was measured."""
    measured = []
    more: dict[str, Any] = {}
    api = FakeBotAPI()
    async with api.serving_in_loop():
        port = free_port()
        process = start_bot(api, url, port, folder, extra)
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as client:
            try:
                await wait_healthy(client, port, process)
                load = Load(api, client, f"http://127.0.0.1:{port}/telegram")
                # A warm-up: imports, caches and connection pools, not measured.
                await load.closed(min(arguments.parents, 8), 1)
                runs: list[tuple[str, Callable[[], Awaitable[float]]]] = [
                    (
                        f"{arguments.parents} parents at once",
                        lambda: load.closed(arguments.parents, arguments.rounds),
                    ),
                    (
                        f"{arguments.rate:g} updates/s offered",
                        lambda: load.offered(arguments.rate, arguments.seconds),
                    ),
                ]
                finish = await asyncio.to_thread(around) if around else None
                for label, run in runs:
                    load.latencies = []
                    # This process's collections walk all it built (the fake's records of
                    # every message, a model loaded beside), longer as a run goes on: they
                    # paused the load by up to 0.2 s, which showed as the bot's latency.
                    gc.collect()
                    gc.disable()
                    cpu_before, own_before = cpu_seconds(process.pid), time.process_time()
                    try:
                        elapsed = await run()
                    finally:
                        gc.enable()
                    cpu = cpu_seconds(process.pid) - cpu_before
                    # This process (load and fake Bot API) shares the machine's cores.
                    own = time.process_time() - own_before
                    measured.append(figures(f"{kind}, {label}", load.latencies, elapsed, cpu, own))
                more = await asyncio.to_thread(finish) if finish else {}
            finally:
                process.terminate()
                process.wait(timeout=30)
    return measured, more


def figures(label: str, latencies: list[float], elapsed: float, cpu: float, own: float) -> Figures:
    latencies = sorted(latencies)
    count = len(latencies)
    return Figures(
        label=label,
        updates=count,
        per_second=count / elapsed,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[max(0, int(count * 0.99) - 1)] * 1000,
        cpu_ms=cpu / count * 1000,
        load_cpu_ms=own / count * 1000,
    )


def run(
    kind: str, arguments: argparse.Namespace, prepare: Prepare | None = None
) -> tuple[list[Figures], dict[str, Any]]:
    """Measure the bot on a fresh database of this kind: (figures of each load, more)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url, cleanup = database(kind, folder)
        try:
            upgrade(url)
            seed_schools(url)
            extra, around = prepare(url, folder) if prepare else ({}, None)
            return asyncio.run(measure(kind, url, folder, arguments, extra, around))
        finally:
            cleanup()


def arguments_parser(description: str | None) -> argparse.ArgumentParser:
    """Return the options of the loads, for this script and the ones built on it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--parents", type=int, default=32, help="parents answering at once")
    parser.add_argument("--rounds", type=int, default=3, help="times every parent walks the flow")
    parser.add_argument("--rate", type=float, default=500, help="updates per second offered")
    parser.add_argument("--seconds", type=float, default=10, help="how long to offer them")
    return parser


def main() -> None:
    """Measure and print the figures."""
    parser = arguments_parser(__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    arguments = parser.parse_args()
    kinds = ("sqlite", "postgresql") if arguments.database == "both" else (arguments.database,)
    for kind in kinds:
        measured, _ = run(kind, arguments)
        for each in measured:
            print(each.line(), flush=True)


if __name__ == "__main__":
    main()
