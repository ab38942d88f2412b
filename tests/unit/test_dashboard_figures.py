"""The overview's figures against a hand count: coverage, unreached first, small counts hidden."""

from __future__ import annotations

from datetime import date

from bot.dashboard.dropoff import dropoffs
from bot.dashboard.figures import (
    SchoolInput,
    SchoolLine,
    Shown,
    by_municipality,
    days,
    hidden,
    shares,
    tallies,
    total,
)

SCHOOLS = [
    SchoolInput("AA0000", "Anker", "Arnhem", "Arnhem", 100),
    SchoolInput("BB0000", "Boei", "Arnhem", "Arnhem", 40),
    SchoolInput("CC0000", "Citadel", "Zwolle", "Zwolle", 20),
    SchoolInput("DD0000", "Duin", "Zwolle", "Zwolle", None),
]
# (school, follow-up status, answered over a week ago, count), as the database groups them.
FOLLOWUP = [
    ("AA0000", "open", True, 10),
    ("AA0000", "open", False, 5),
    ("AA0000", "contacted", True, 6),
    ("AA0000", "helped", True, 4),
    ("BB0000", "open", False, 3),
    (None, "open", True, 2),
]
NEEDS = [("AA0000", "device", 7), ("AA0000", "internet", 2), ("BB0000", "device", 3)]


def test_coverage_and_needs_match_a_hand_count() -> None:
    tallied, unassigned = tallies(SCHOOLS, FOLLOWUP, NEEDS)
    anker = Shown.of(tallied["AA0000"])
    # 10 + 5 + 6 + 4 = 25 families of 100 pupils.
    assert anker.responses == 25
    assert anker.coverage == 0.25
    assert anker.needs == {"device": 7, "internet": None, "help": 0, "interpreter": 0}
    # Open over a week: 10; contacted over a week: 6 (not helped, so still open too).
    assert anker.followup == {
        "open": 15,
        "contacted": 6,
        "helped": None,
        "still_open": 16,
    }
    assert unassigned.responses == 2
    assert total([*tallied.values(), unassigned]).responses == 30


def test_counts_under_five_are_hidden_for_a_school_a_municipality_and_the_total() -> None:
    tallied, unassigned = tallies(SCHOOLS, FOLLOWUP, NEEDS)
    boei = Shown.of(tallied["BB0000"])
    assert boei.responses is None  # 3 families: one could be picked out
    assert boei.coverage is None  # 3 of 40 would tell it as well
    assert boei.needs["device"] is None
    towns = dict(by_municipality(SCHOOLS, tallied))
    # Arnhem: 25 + 3 families of 140 pupils; Zwolle: none, which is said.
    assert towns["Arnhem"].responses == 28
    assert towns["Arnhem"].coverage == 28 / 140
    assert towns["Arnhem"].needs["device"] == 10
    assert towns["Zwolle"].responses == 0
    assert Shown.of(unassigned).responses is None
    assert [hidden(n) for n in (0, 1, 4, 5)] == [0, None, None, 5]


def test_schools_that_reached_nobody_come_first_the_biggest_first() -> None:
    tallied, _ = tallies(SCHOOLS, FOLLOWUP, NEEDS)
    lines = [SchoolLine(s, tallied[s.code]) for s in SCHOOLS]
    ordered = [line.school.code for line in sorted(lines, key=lambda line: line.sort_key)]
    # Citadel (20 pupils) and Duin (unknown) reached nobody; Boei 7.5% before Anker 25%.
    assert ordered == ["CC0000", "DD0000", "BB0000", "AA0000"]


def test_days_and_languages_add_up_and_hide_small_counts() -> None:
    counted = [(date(2026, 12, 1), 3), (date(2026, 12, 1), 4), (date(2026, 12, 2), 2)]
    assert days(counted) == [(date(2026, 12, 1), 7), (date(2026, 12, 2), None)]
    assert shares([("nl", 40), ("ar", 3), ("tr", 12)]) == [("nl", 40), ("tr", 12), ("ar", None)]


def test_dropoff_counts_who_started_stopped_at_each_question_and_finished() -> None:
    rows = [
        ("thuissituatie", 3, "completed", None, 20),
        ("thuissituatie", 3, "active", "internet", 6),
        ("thuissituatie", 3, "active", "devices", 5),
        ("thuissituatie", 3, "active", "grade", 2),
        ("thuissituatie", 3, "declined", None, 7),
    ]
    found = dropoffs(rows, lambda _flow, _version: ["consent", "grade", "devices", "internet"])
    assert len(found) == 1
    flow = found[0]
    assert (flow.started, flow.finished, flow.declined) == (40, 20, 7)
    assert flow.stopped == (("grade", None), ("devices", 5), ("internet", 6))
