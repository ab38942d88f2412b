"""A polled update waits out a busy database, is dropped on a bug, and gives way at stop."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterable, Sequence

import pytest
from sqlalchemy.exc import OperationalError

from bot.messages.incoming import Incoming, Typed
from bot.messages.replies import Reply
from bot.reception.handled import Handled
from bot.storage.queue import Queued
from bot.storage.work import DatabaseWork
from bot.telegram.app import UpdateHandler

ARRIVED = Incoming(41, 7, 7, "nl", "Ouder", Typed("hallo"))
LOCKED = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))


class Desk:
    """Answers each batch with the next of its outcomes, then with success."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls = 0

    def handle_batch(self, batch: Sequence[Incoming]) -> list[Handled | Exception]:
        self.calls += 1
        if self.failures:
            return [self.failures.pop(0) for _ in batch]
        return [Handled([], None) for _ in batch]


class Unsent:
    """Takes the replies and answers and sends nothing: these tests are about storing."""

    def submit(self, queued: Iterable[Queued]) -> None:
        pass

    async def answer(self, popup: Reply) -> None:
        pass


async def settle(desk: Desk, stop_after: float | None = None) -> bool:
    work: DatabaseWork[Incoming, Handled] = DatabaseWork(desk.handle_batch, threads=1)
    stopping = asyncio.Event()
    if stop_after is not None:
        asyncio.get_running_loop().call_later(stop_after, stopping.set)
    try:
        return await UpdateHandler(work, Unsent()).settle(ARRIVED, stopping)
    finally:
        work.shutdown()


def test_a_busy_database_is_waited_out(caplog: pytest.LogCaptureFixture) -> None:
    desk = Desk(LOCKED, LOCKED)
    with caplog.at_level(logging.WARNING):
        assert asyncio.run(settle(desk)) is True
    assert desk.calls == 3
    assert [r.getMessage() for r in caplog.records] == [
        "update 41 not stored (OperationalError); trying again in 0.5s",
        "update 41 not stored (OperationalError); trying again in 1.0s",
    ]


def test_a_failure_that_is_not_the_databases_is_dropped_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    desk = Desk(OverflowError("Python int too large to convert to SQLite INTEGER"))
    with caplog.at_level(logging.WARNING):
        assert asyncio.run(settle(desk)) is True
    assert desk.calls == 1
    assert [r.getMessage() for r in caplog.records] == ["update 41 dropped: OverflowError"]


def test_at_stop_an_update_not_stored_is_left_unsettled_for_telegram_to_keep() -> None:
    desk = Desk(*[LOCKED] * 100)
    assert asyncio.run(settle(desk, stop_after=0.2)) is False
    assert desk.calls == 1
