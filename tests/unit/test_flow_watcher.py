"""The flows folder watcher keeps watching whatever one reload does."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.system.watch import watch_folder


def test_a_reload_that_raises_is_reported_and_the_next_change_is_still_seen(
    tmp_path: Path,
) -> None:
    flow = tmp_path / "a.yaml"
    flow.write_text("id: a\n", encoding="utf-8")
    reloads: list[str] = []
    failures: list[Exception] = []

    async def reload() -> None:
        reloads.append(flow.read_text(encoding="utf-8"))
        if len(reloads) == 1:
            raise RuntimeError("value too long for type character varying(64)")

    async def failed(error: Exception) -> None:
        failures.append(error)

    async def scenario() -> None:
        watcher = asyncio.create_task(watch_folder(tmp_path, reload, failed, seconds=0.01))
        await asyncio.sleep(0.05)  # the watcher takes its first look
        flow.write_text("id: b\n" + "#" * 10, encoding="utf-8")
        await until(lambda: len(reloads) == 1)
        flow.write_text("id: c\n", encoding="utf-8")
        await until(lambda: len(reloads) == 2)
        assert not watcher.done()
        watcher.cancel()

    asyncio.run(scenario())

    assert reloads[1] == "id: c\n"
    assert [str(e) for e in failures] == ["value too long for type character varying(64)"]


def test_a_failing_report_of_a_failure_does_not_stop_the_watcher(tmp_path: Path) -> None:
    flow = tmp_path / "a.yaml"
    flow.write_text("id: a\n", encoding="utf-8")
    reloads: list[int] = []

    async def reload() -> None:
        reloads.append(1)
        raise OSError("disk gone")

    async def failed(error: Exception) -> None:
        raise ConnectionError("database gone too")

    async def scenario() -> None:
        watcher = asyncio.create_task(watch_folder(tmp_path, reload, failed, seconds=0.01))
        await asyncio.sleep(0.05)  # the watcher takes its first look
        flow.write_text("id: b\n#\n", encoding="utf-8")
        await until(lambda: len(reloads) == 1)
        flow.write_text("id: c\n##\n", encoding="utf-8")
        await until(lambda: len(reloads) == 2)
        assert not watcher.done()
        watcher.cancel()

    asyncio.run(scenario())


async def until(condition: object, timeout: float = 5.0) -> None:
    assert callable(condition)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the watcher never saw the change"
        await asyncio.sleep(0.01)
