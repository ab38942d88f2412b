"""A school's digest schedule: days and times in Dutch local time, as an APScheduler trigger."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.clock import AMSTERDAM

# Dutch day names a coordinator may type, as APScheduler's English ones.
_DUTCH_DAYS = {"ma": "mon", "di": "tue", "wo": "wed", "do": "thu", "vr": "fri", "za": "sat"}
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)"
_DAYS = re.compile(rf"{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*|\*")
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


class ScheduleError(ValueError):
    """A digest schedule that cannot be read; the message says how to write one."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a school gets its digest: on these days, at these local times."""

    days: str
    times: tuple[tuple[int, int], ...]

    def __str__(self) -> str:
        return f"{self.days} " + ",".join(f"{h:02d}:{m:02d}" for h, m in self.times)

    def triggers(self) -> list[CronTrigger]:
        """Return one APScheduler cron trigger per time of day."""
        return [
            CronTrigger(day_of_week=self.days, hour=h, minute=m, timezone=AMSTERDAM)
            for h, m in self.times
        ]

    def next_after(self, moment: datetime) -> datetime:
        """Return the first scheduled time strictly after `moment`, in UTC.

        UTC because that is how every time is stored: SQLite keeps no zone, so a local
        time would be read back as if it were UTC.
        """
        # APScheduler answers `now` itself when it matches; a second later excludes it.
        probe = (moment + timedelta(seconds=1)).astimezone(AMSTERDAM).replace(microsecond=0)
        found: list[datetime] = [
            when
            for trigger in self.triggers()
            if (when := trigger.get_next_fire_time(None, probe)) is not None
        ]
        return min(found).astimezone(UTC)


def parse_schedule(text: str) -> Schedule:
    """Read 'mon-fri 15:30', 'ma,wo,vr 08:00,15:30' or 'daily 16:00' (ScheduleError if not)."""
    words = text.strip().lower().split()
    if len(words) != 2:
        raise ScheduleError(
            f"{text!r} is not a digest schedule: write days and times, such as "
            "'mon-fri 15:30', 'mon,wed,fri 08:00,15:30' or 'daily 16:00'."
        )
    days, times = words
    for dutch, english in _DUTCH_DAYS.items():
        days = re.sub(rf"\b{dutch}\b", english, days)
    days = re.sub(r"\bzo\b", "sun", days)
    if days in ("daily", "dagelijks"):
        days = "*"
    if not _DAYS.fullmatch(days):
        raise ScheduleError(
            f"{words[0]!r} are not days: use mon, tue, wed, thu, fri, sat, sun (or ma..zo), "
            "ranges like mon-fri, lists like mon,wed,fri, or 'daily'."
        )
    parsed = []
    for part in times.split(","):
        match = _TIME.fullmatch(part)
        if match is None:
            raise ScheduleError(f"{part!r} is not a time of day: write it as 15:30.")
        parsed.append((int(match[1]), int(match[2])))
    return Schedule(days, tuple(sorted(set(parsed))))
