"""The overview's counts are made once, served while fresh, and made again in the background."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from bot.dashboard import snapshots as module
from bot.dashboard.overview import Counted
from bot.dashboard.snapshots import Snapshots
from tests.fakes.clock import FakeClock, amsterdam


class CountingSnapshots(Snapshots):
    """Snapshots whose counting is recorded instead of reading a database."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(None, clock, 7, lambda: lambda _f, _v: [], max_age=60)  # type: ignore[arg-type]
        self.counts = 0
        self.release = threading.Event()
        self.release.set()

    def _count(self) -> Counted:
        self.release.wait(5)
        self.counts += 1
        counted = Counted(self._clock.now(), [], None, None, [], [], [], [])  # type: ignore[arg-type]
        with self._lock:
            self._counted = counted
        return counted


def test_views_share_one_count_while_it_is_fresh_and_an_old_one_is_recounted_behind() -> None:
    clock = FakeClock(amsterdam(2026, 12, 7, 10))
    counts = CountingSnapshots(clock)
    first = counts.get()
    assert counts.get() is first
    assert counts.counts == 1
    clock.advance(seconds=61)
    counts.release.clear()
    # The old counts are served at once; the recount runs meanwhile.
    assert counts.get() is first
    assert counts.get() is first
    counts.release.set()
    deadline = time.monotonic() + 5
    while counts.get() is first and time.monotonic() < deadline:
        time.sleep(0.01)
    assert counts.counts == 2
    assert counts.get().at == clock.now()


def test_a_recount_that_fails_keeps_the_old_counts(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock(amsterdam(2026, 12, 7, 10))
    counts = CountingSnapshots(clock)
    first = counts.get()
    clock.advance(minutes=2)

    def broken() -> Counted:
        raise RuntimeError("database gone")

    counts._count = broken  # type: ignore[method-assign]
    assert counts.get() is first
    deadline = time.monotonic() + 5
    while counts._counting and time.monotonic() < deadline:
        time.sleep(0.01)
    assert counts.get() is first
    assert "could not be made" in caplog.text
    assert module.log.name == "bot.dashboard.snapshots"
    assert clock.now() - first.at == timedelta(minutes=2)
