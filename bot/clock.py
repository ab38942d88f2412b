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


def aware(moment: datetime) -> datetime:
    """Return a stored time as aware UTC: SQLite hands times back without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
