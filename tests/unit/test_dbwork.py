"""Database work off the event loop: updates in groups, other work in turn, results to callers."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from bot.storage.work import MOST, DatabaseWork


class Recorder:
    """A batch function that remembers the groups it was given."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []
        self.order: list[str] = []

    def __call__(self, items: Sequence[int]) -> list[int | Exception]:
        self.groups.append(list(items))
        self.order.extend(f"update {i}" for i in items)
        return [ValueError(f"no {i}") if i < 0 else i * 10 for i in items]


async def hold(work: DatabaseWork[int, int]) -> tuple[threading.Event, asyncio.Task[None]]:
    """Keep the only thread busy until the returned event is set."""
    release, busy = threading.Event(), threading.Event()

    def blocking() -> None:
        busy.set()
        release.wait(10)

    task = asyncio.create_task(work.call(blocking))
    await asyncio.to_thread(busy.wait, 10)
    return release, task


def test_updates_that_arrive_while_the_thread_is_busy_go_together() -> None:
    recorder = Recorder()
    work: DatabaseWork[int, int] = DatabaseWork(recorder, threads=1)

    async def scenario() -> list[int]:
        release, held = await hold(work)
        waiting = [asyncio.create_task(work.update(i)) for i in range(1, 6)]
        await asyncio.sleep(0)
        release.set()
        await held
        return list(await asyncio.gather(*waiting))

    try:
        assert asyncio.run(scenario()) == [10, 20, 30, 40, 50]
    finally:
        work.shutdown()
    assert recorder.groups == [[1, 2, 3, 4, 5]]


def test_a_group_is_never_larger_than_most() -> None:
    recorder = Recorder()
    work: DatabaseWork[int, int] = DatabaseWork(recorder, threads=1)

    async def scenario() -> None:
        release, held = await hold(work)
        waiting = [asyncio.create_task(work.update(i)) for i in range(MOST + 3)]
        await asyncio.sleep(0)
        release.set()
        await held
        await asyncio.gather(*waiting)

    try:
        asyncio.run(scenario())
    finally:
        work.shutdown()
    assert [len(group) for group in recorder.groups] == [MOST, 3]


def test_a_failed_update_raises_for_its_caller_only() -> None:
    recorder = Recorder()
    work: DatabaseWork[int, int] = DatabaseWork(recorder, threads=1)

    async def scenario() -> list[int | BaseException]:
        release, held = await hold(work)
        waiting = [asyncio.create_task(work.update(i)) for i in (1, -2, 3)]
        await asyncio.sleep(0)
        release.set()
        await held
        return list(await asyncio.gather(*waiting, return_exceptions=True))

    try:
        first, failed, last = asyncio.run(scenario())
    finally:
        work.shutdown()
    assert (first, last) == (10, 30)
    assert isinstance(failed, ValueError)


def test_other_work_runs_in_turn_between_updates() -> None:
    recorder = Recorder()
    work: DatabaseWork[int, int] = DatabaseWork(recorder, threads=1)

    async def scenario() -> str:
        release, held = await hold(work)
        early = [asyncio.create_task(work.update(i)) for i in (1, 2)]
        await asyncio.sleep(0)

        def other() -> str:
            recorder.order.append("job")
            return "done"

        job = asyncio.create_task(work.call(other))
        await asyncio.sleep(0)
        late = [asyncio.create_task(work.update(i)) for i in (3, 4)]
        await asyncio.sleep(0)
        release.set()
        await held
        await asyncio.gather(*early, *late)
        return await job

    try:
        assert asyncio.run(scenario()) == "done"
    finally:
        work.shutdown()
    assert recorder.order == ["update 1", "update 2", "job", "update 3", "update 4"]


def test_a_failing_batch_function_fails_each_caller_of_the_group() -> None:
    def broken(items: Sequence[int]) -> list[int | Exception]:
        raise RuntimeError("database gone")

    work: DatabaseWork[int, int] = DatabaseWork(broken, threads=1)

    async def scenario() -> None:
        with pytest.raises(RuntimeError, match="database gone"):
            await work.update(1)

    try:
        asyncio.run(scenario())
    finally:
        work.shutdown()


def test_a_thread_of_our_own_runs_work_in_turn_and_waits_for_it() -> None:
    recorder = Recorder()
    work: DatabaseWork[int, int] = DatabaseWork(recorder, threads=1)

    async def scenario() -> str:
        release, held = await hold(work)
        early = asyncio.create_task(work.update(1))
        await asyncio.sleep(0)

        def other() -> str:
            recorder.order.append("job")
            return "done"

        from_thread = asyncio.create_task(asyncio.to_thread(work.run, other))
        await asyncio.sleep(0.05)
        late = asyncio.create_task(work.update(2))
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(held, early, late)
        return await from_thread

    try:
        assert asyncio.run(scenario()) == "done"
    finally:
        work.shutdown()
    assert recorder.order == ["update 1", "job", "update 2"]


def test_urgent_work_goes_before_the_updates_waiting() -> None:
    recorder = Recorder()
    work: DatabaseWork[int, int] = DatabaseWork(recorder, threads=1)

    async def scenario() -> str:
        release, held = await hold(work)
        waiting = [asyncio.create_task(work.update(i)) for i in (1, 2)]
        await asyncio.sleep(0)

        def record_sent() -> str:
            recorder.order.append("sent marks")
            return "done"

        urgent = asyncio.create_task(work.call_first(record_sent))
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(held, *waiting)
        return await urgent

    try:
        assert asyncio.run(scenario()) == "done"
    finally:
        work.shutdown()
    assert recorder.order == ["sent marks", "update 1", "update 2"]
