"""A clock the test moves by hand: time never depends on how fast the machine is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import AMSTERDAM


class FakeClock:
    """Tells the time it was set to; thread-safe enough, since only the test moves it."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the current (fake) time, aware UTC."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to a moment."""
        self._now = moment.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        """Move on by a timedelta's worth (hours=1, days=2...)."""
        self._now += timedelta(**delta)


def amsterdam(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return a Dutch local time, aware."""
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)
