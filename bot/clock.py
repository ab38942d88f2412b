"""The time, behind a port: the running bot reads the system clock, tests a clock they move."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

# Schools, schedules and quiet hours are all Dutch local time.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    """Tells the current time."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware in UTC."""
        ...


class SystemClock:
    """The computer's clock."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware in UTC."""
        return datetime.now(UTC)


class ProcessClock:
    """The clock the whole process reads: what the root was given, else the computer's.

    Rows are stamped by column defaults (bot.storage.models.utcnow), which no caller can
    hand a clock: they read this one, which the composition root points at its own.
    """

    def __init__(self) -> None:
        self._clock: Clock = SystemClock()

    def use(self, clock: Clock) -> None:
        """Tell the time by `clock` from now on."""
        self._clock = clock

    def now(self) -> datetime:
        """Return the current time, timezone-aware in UTC."""
        return self._clock.now()


# The one instance: every "now" outside a part that was given its clock comes from here.
PROCESS = ProcessClock()


def aware(moment: datetime) -> datetime:
    """Return a stored time as aware UTC: SQLite hands times back without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
