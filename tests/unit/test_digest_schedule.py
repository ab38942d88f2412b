"""Digest schedules: what a coordinator may type, and when the next digest is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.digests.schedule import ScheduleError, parse_schedule
from tests.fakes.clock import amsterdam


def test_the_default_schedule_is_weekdays_at_half_past_three() -> None:
    schedule = parse_schedule("mon-fri 15:30")
    friday_afternoon = amsterdam(2026, 12, 4, 15, 30)  # a Friday, at the digest time itself
    assert schedule.next_after(friday_afternoon) == amsterdam(2026, 12, 7, 15, 30)
    assert schedule.next_after(amsterdam(2026, 12, 7, 9, 0)) == amsterdam(2026, 12, 7, 15, 30)


def test_dutch_day_names_and_several_times_are_understood() -> None:
    schedule = parse_schedule("ma,wo,vr 15:30,08:00")
    assert str(schedule) == "mon,wed,fri 08:00,15:30"
    assert schedule.next_after(amsterdam(2026, 12, 7, 8, 30)) == amsterdam(2026, 12, 7, 15, 30)
    assert schedule.next_after(amsterdam(2026, 12, 7, 16, 0)) == amsterdam(2026, 12, 9, 8, 0)


def test_daily_follows_local_time_across_the_clock_change() -> None:
    schedule = parse_schedule("daily 16:00")
    # Summer time ends on 25 October 2026: still 16:00 in Amsterdam, an hour later in UTC.
    before = schedule.next_after(amsterdam(2026, 10, 24, 17, 0))
    assert before == amsterdam(2026, 10, 25, 16, 0)
    assert before.utcoffset() == timedelta(0)
    assert before.hour == 15  # stored in UTC


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("15:30", "write days and times"),
        ("weekdays 15:30", "are not days"),
        ("mon-fri 25:00", "not a time of day"),
        ("mon-fri 3pm", "not a time of day"),
    ],
)
def test_a_wrong_schedule_says_how_to_write_one(text: str, says: str) -> None:
    with pytest.raises(ScheduleError, match=says):
        parse_schedule(text)
