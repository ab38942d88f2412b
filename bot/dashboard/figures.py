"""The overview's figures from counted rows: pure, so a hand count can check every one.

Figures for a municipality or a board hide counts from 1 to 4 (None here, "<5" on the
page): with so few, a reader who knows the school could pick out the family.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.digests.needs import NEEDS

# Below this a count could point at one family; zero says nobody and is shown.
SMALLEST_SHOWN = 5
FOLLOWUP_STATES = ("open", "contacted", "helped")
STILL_OPEN = "still_open"
# DUO names every school's municipality; a school added by hand may have none.
UNKNOWN_PLACE = "(onbekend)"


def hidden(count: int) -> int | None:
    """Return the count as a board may see it: None for 1 to 4."""
    return None if 0 < count < SMALLEST_SHOWN else count


def coverage(responses: int, pupils: int | None) -> float | None:
    """Return responses per pupil as a share (0.25 for a quarter), None without pupils."""
    if not pupils:
        return None
    return responses / pupils


@dataclass(frozen=True, slots=True)
class SchoolInput:
    """A school and its pupils, as stored."""

    code: str
    name: str
    town: str | None
    municipality: str | None
    pupils: int | None


@dataclass(slots=True)
class Tally:
    """The counts of one school, one municipality or all: responses, needs, follow-up."""

    responses: int = 0
    pupils: int = 0
    schools: int = 0
    # Plain dicts: a Counter costs twenty times as much to make, and there is one per school.
    needs: dict[str, int] = field(default_factory=dict)
    followup: dict[str, int] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.responses += other.responses
        self.pupils += other.pupils
        self.schools += other.schools
        for key, count in other.needs.items():
            self.needs[key] = self.needs.get(key, 0) + count
        for key, count in other.followup.items():
            self.followup[key] = self.followup.get(key, 0) + count


@dataclass(frozen=True, slots=True)
class Shown:
    """A tally as a board may see it: small counts hidden, coverage only when it is safe."""

    responses: int | None
    pupils: int
    schools: int
    coverage: float | None
    needs: Mapping[str, int | None]
    followup: Mapping[str, int | None]

    @classmethod
    def of(cls, tally: Tally) -> Shown:
        """Return the tally with counts from 1 to 4 hidden."""
        shown = hidden(tally.responses)
        return cls(
            responses=shown,
            pupils=tally.pupils,
            schools=tally.schools,
            coverage=None if shown is None else coverage(tally.responses, tally.pupils),
            needs={need: hidden(tally.needs.get(need, 0)) for need in NEEDS},
            followup={
                state: hidden(tally.followup.get(state, 0))
                for state in (*FOLLOWUP_STATES, STILL_OPEN)
            },
        )


@dataclass(frozen=True, slots=True)
class SchoolLine:
    """One school in the overview's list."""

    school: SchoolInput
    tally: Tally

    @property
    def responses(self) -> int:
        """The school's responses, exact: for ordering only, never shown."""
        return self.tally.responses

    @property
    def shown(self) -> Shown:
        """The school's figures as shown, small counts hidden (made for the page's lines only)."""
        return Shown.of(self.tally)

    @property
    def sort_key(self) -> tuple[int, float, int, str]:
        """Unreached schools first (the biggest first), then the lowest coverage."""
        share = coverage(self.responses, self.school.pupils)
        return (
            0 if self.responses == 0 else 1,
            share if share is not None else 0.0,
            -(self.school.pupils or 0),
            self.school.code,
        )


def tallies(
    schools: Iterable[SchoolInput],
    followup: Iterable[tuple[str | None, str, bool, int]],
    needs: Iterable[tuple[str | None, str, int]],
) -> tuple[dict[str, Tally], Tally]:
    """Return each school's tally by code, and the families with no school in the list."""
    by_code = {s.code: Tally(pupils=s.pupils or 0, schools=1) for s in schools}
    unassigned = Tally()
    for code, state, old, count in followup:
        tally = by_code.get(code or "", unassigned)
        tally.responses += count
        tally.followup[state] = tally.followup.get(state, 0) + count
        if old and state != "helped":
            tally.followup[STILL_OPEN] = tally.followup.get(STILL_OPEN, 0) + count
    for code, need, count in needs:
        found = by_code.get(code or "", unassigned).needs
        found[need] = found.get(need, 0) + count
    return by_code, unassigned


def by_municipality(
    schools: Iterable[SchoolInput], tallied: Mapping[str, Tally]
) -> list[tuple[str, Shown]]:
    """Return each municipality's figures, small counts hidden, by name."""
    sums: dict[str, Tally] = defaultdict(Tally)
    for school in schools:
        sums[school.municipality or UNKNOWN_PLACE].add(tallied[school.code])
    return [(name, Shown.of(sums[name])) for name in sorted(sums)]


def total(tallied: Iterable[Tally]) -> Tally:
    """Return the sum of tallies."""
    summed = Tally()
    for tally in tallied:
        summed.add(tally)
    return summed


def days(hours: Iterable[tuple[date, int]]) -> list[tuple[date, int | None]]:
    """Return families per Dutch day, oldest first, small counts hidden."""
    summed: Counter[date] = Counter()
    for day, count in hours:
        summed[day] += count
    return [(day, hidden(summed[day])) for day in sorted(summed)]


def shares(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int | None]]:
    """Return counts by key, largest first, small ones hidden."""
    ordered = sorted(counts, key=lambda item: (-item[1], item[0]))
    return [(key, hidden(count)) for key, count in ordered]
