"""The coordinators' export on the fake unit of work: columns, rows and formats, no database."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.coordinators.export import export_writer, missing_school
from bot.engine.flow import Flow
from bot.exports import FIXED_COLUMNS, ResponseRow, Selection
from bot.flowfiles.loader import load_flow
from bot.i18n.localizer import Localizers
from bot.storage.models import School
from tests.fakes.units import FakeUnitOfWork

PROJECT = Path(__file__).resolve().parents[3]
HERE = "16AH00"
T0 = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)


def every_kind() -> dict[str, Flow]:
    flow = load_flow(PROJECT / "tests" / "fixtures" / "flows" / "every_kind.yaml").flow
    assert flow is not None
    return {flow.id: flow}


def row(number: int, school: str | None, hours: int, answers: dict[str, Any]) -> ResponseRow:
    name = "OBS 't Eenspan" if school == HERE else None
    return ResponseRow(
        *(number, T0 + timedelta(hours=hours), school, name, None, "nl", "every_kind", 3, 1),
        answers,
    )


def world() -> FakeUnitOfWork:
    """One school; three responses there or unassigned, stored out of their order in time."""
    uow = FakeUnitOfWork()
    uow.schools.add(School(code=HERE, name="OBS 't Eenspan", town="EMMEN", staff_token="a" * 32))
    uow.exported.stored += [
        row(1, HERE, 2, {"grade": "groep_2", "consent": "yes", "why": "=1+1"}),
        row(2, None, 3, {"zz_gone": "x", "devices": ["laptop", "tablet"]}),
        row(3, HERE, 1, {"consent": "no", "children": 3}),
    ]
    return uow


def written(uow: FakeUnitOfWork, selection: Selection, form: str) -> tuple[int, str]:
    dutch = Localizers(PROJECT / "locales").get("nl") if form == "csv" else None
    target = io.BytesIO()
    count = export_writer(uow, selection, form, every_kind(), dutch)(target)
    return count, target.getvalue().decode("utf-8")


def test_raw_columns_follow_the_flow_then_sorted_and_rows_go_oldest_first() -> None:
    count, text = written(world(), Selection(), "csv-raw")

    header, *rows = list(csv.reader(io.StringIO(text)))
    assert count == 3
    # Steps the flow no longer has come after its own, sorted.
    assert header == [*FIXED_COLUMNS, "consent", "grade", "devices", "children", "why", "zz_gone"]
    assert [r[0] for r in rows] == ["3", "1", "2"]
    assert rows[1][1] == "2026-03-16T11:30:00Z"
    assert rows[1][-2] == "'=1+1"  # a formula shows as typed
    assert rows[2][-4] == "laptop;tablet"


def test_a_selection_keeps_one_school_or_the_unassigned() -> None:
    uow = world()

    _, school = written(uow, Selection(school=HERE), "json")
    _, unassigned = written(uow, Selection(unassigned=True), "json")

    assert [r["response_id"] for r in json.loads(school)] == [3, 1]
    assert json.loads(unassigned) == [
        {
            "response_id": 2,
            "completed_at": "2026-03-16T12:30:00Z",
            "school_code": None,
            "school_name": None,
            "school_query": None,
            "language": "nl",
            "flow_id": "every_kind",
            "flow_version": 3,
            "child_number": 1,
            "urgent": False,
            "needs": [],
            "devices": ["laptop", "tablet"],
            "zz_gone": "x",
        }
    ]


def test_the_people_s_csv_is_dutch_and_needs_the_dutch_catalog() -> None:
    uow = world()

    count, text = written(uow, Selection(school=HERE), "csv")

    assert count == 2
    assert text.startswith("\ufeffnummer;beantwoord;schoolcode;schoolnaam;")
    with pytest.raises(ValueError, match="needs the Dutch catalog"):
        export_writer(uow, Selection(), "xlsx", every_kind(), None)


def test_only_a_school_that_is_not_there_is_missing() -> None:
    uow = world()

    assert not missing_school(uow, Selection())
    assert not missing_school(uow, Selection(school=HERE))
    assert missing_school(uow, Selection(school="99ZZ99"))
