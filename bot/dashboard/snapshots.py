"""The overview's counts, kept in memory and counted again in the background when old.

Counting the overview reads an index entry per response (300,000 of them in
bench/dashboard.py): seconds on a busy small machine. So no page view counts: a view
takes the last counts, at most DASHBOARD_REFRESH_SECONDS old (the page says when they
were made), and an old one starts a recount in a thread while it is served. Only the
very first view after a start waits for the first count. School pages read their own
families live, by index, as they always do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from bot.clock import Clock
from bot.dashboard.overview import Counted, count_overview
from bot.storage.unit import Transactions

log = logging.getLogger(__name__)


class Snapshots:
    """Hands out the newest counts; recounts one at a time when they are older than allowed."""

    def __init__(
        self,
        transactions: Transactions,
        clock: Clock,
        open_days: float,
        steps: Callable[[], Callable[[str, int], Sequence[str]]],
        max_age: float,
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._open_days = open_days
        self._steps = steps
        self._max_age = max_age
        self._lock = threading.Lock()
        self._counted: Counted | None = None
        self._counting = False

    def get(self) -> Counted:
        """Return the newest counts: made now if there are none yet, else as they are."""
        with self._lock:
            counted = self._counted
            old = (
                counted is None or (self._clock.now() - counted.at).total_seconds() > self._max_age
            )
            start = old and counted is not None and not self._counting
            if start:
                self._counting = True
        if counted is None:
            return self._count()
        if start:
            threading.Thread(target=self._recount, name="dashboard-counts", daemon=True).start()
        return counted

    def _count(self) -> Counted:
        with self._transactions.read() as uow:
            counted = count_overview(
                uow.dashboard, self._clock.now(), self._open_days, self._steps()
            )
        with self._lock:
            if self._counted is None or self._counted.at < counted.at:
                self._counted = counted
        return counted

    def _recount(self) -> None:
        try:
            self._count()
        except Exception:
            # The old counts stay in use; the next view tries again.
            log.exception("the dashboard's counts could not be made")
        finally:
            with self._lock:
                self._counting = False
