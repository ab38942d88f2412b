"""Read the overview's counts in one transaction and turn them into its figures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.clock import AMSTERDAM
from bot.dashboard import figures as f
from bot.dashboard.dropoff import DropOff, dropoffs
from bot.storage.repositories.dashboard import SqlDashboard

# The chart of families per day covers this many days back.
DAYS_SHOWN = 60
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the coordinators' overview shows, small counts hidden."""

    # When it was counted.
    at: datetime
    total: f.Shown
    unassigned: f.Shown
    municipalities: list[tuple[str, f.Shown]]
    schools: list[f.SchoolLine]
    school_count: int
    unreached: int
    days: list[tuple[date, int | None]]
    languages: list[tuple[str, int | None]]
    dropoff: list[DropOff]


@dataclass(frozen=True, slots=True)
class Filter:
    """What part of the school list to show."""

    municipality: str = ""
    search: str = ""
    page: int = 1


@dataclass(frozen=True, slots=True)
class Counted:
    """What the database counted for the overview, at one moment; filters apply to it."""

    at: datetime
    lines: list[f.SchoolLine]
    total: f.Shown
    unassigned: f.Shown
    municipalities: list[tuple[str, f.Shown]]
    days: list[tuple[date, int | None]]
    languages: list[tuple[str, int | None]]
    dropoff: list[DropOff]


def count_overview(
    counts: SqlDashboard,
    now: datetime,
    open_days: float,
    steps: Callable[[str, int], Sequence[str]],
) -> Counted:
    """Count everything the overview shows, from indexes, and build its figures."""
    schools = [
        f.SchoolInput(row.code, row.name, row.town, row.municipality, row.pupils)
        for row in counts.schools()
    ]
    tallied, unassigned = f.tallies(
        schools,
        counts.followup_by_school(now - timedelta(days=open_days)),
        counts.needs_by_school(),
    )
    lines = [f.SchoolLine(s, tallied[s.code]) for s in schools]
    lines.sort(key=lambda line: line.sort_key)
    since = now - timedelta(days=DAYS_SHOWN)
    return Counted(
        at=now,
        lines=lines,
        total=f.Shown.of(f.total([*tallied.values(), unassigned])),
        unassigned=f.Shown.of(unassigned),
        municipalities=f.by_municipality(schools, tallied),
        days=f.days((_dutch_day(hour), n) for hour, n in counts.completed_hours(since)),
        languages=f.shares(counts.languages()),
        dropoff=dropoffs(counts.dropoff(), steps),
    )


def read_overview(counted: Counted, chosen: Filter) -> Overview:
    """Return the overview of what was counted, with the school list filtered and paged."""
    lines = [line for line in counted.lines if _matches(line.school, chosen)]
    start = (max(chosen.page, 1) - 1) * PAGE_SIZE
    return Overview(
        at=counted.at,
        total=counted.total,
        unassigned=counted.unassigned,
        municipalities=counted.municipalities,
        schools=lines[start : start + PAGE_SIZE],
        school_count=len(lines),
        unreached=sum(1 for line in counted.lines if line.responses == 0),
        days=counted.days,
        languages=counted.languages,
        dropoff=counted.dropoff,
    )


def _matches(school: f.SchoolInput, chosen: Filter) -> bool:
    if chosen.municipality and (school.municipality or "") != chosen.municipality:
        return False
    words = chosen.search.casefold().split()
    text = f"{school.code} {school.name} {school.town or ''}".casefold()
    return all(word in text for word in words)


def _dutch_day(hour: str) -> date:
    """Return the Dutch date of an hour counted in UTC ("2026-12-06 23" is the 7th)."""
    moment = datetime.strptime(hour[:13], "%Y-%m-%d %H").replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).date()
