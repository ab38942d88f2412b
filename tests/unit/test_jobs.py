"""The timed work: retention must not depend on the bot running at 03:17."""

from __future__ import annotations

import asyncio

from bot.background.jobs import Jobs
from bot.storage.queue import Queued
from bot.storage.work import InThreads


class NothingDue:
    """Stands in for the digest desk and the reminders: nothing is ever due."""

    def run_due(self) -> list[Queued]:
        return []

    def run(self) -> list[Queued]:
        return []


def test_retention_runs_at_start_as_well_as_every_night() -> None:
    runs: list[int] = []

    async def scenario() -> None:
        idle = NothingDue()
        jobs = Jobs(
            digests=idle,
            reminders=idle,
            retention=lambda: runs.append(1),
            submit=lambda queued: None,
            database=InThreads(),
        )
        jobs.start()
        try:
            for _ in range(100):
                if runs:
                    break
                await asyncio.sleep(0.02)
            assert jobs.scheduler is not None
            nightly = jobs.scheduler.get_job("retention")
            assert nightly is not None
            assert (nightly.next_run_time.hour, nightly.next_run_time.minute) == (3, 17)
        finally:
            jobs.stop()

    asyncio.run(scenario())
    assert runs == [1]
