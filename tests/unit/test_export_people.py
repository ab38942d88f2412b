"""The export for people: Dutch titles and answers from the current flows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.engine.flow import Flow
from bot.exports import DUTCH_COLUMNS, PeopleTable, ResponseRow
from bot.flowfiles.loader import load_flow
from bot.i18n.localizer import Localizers

PROJECT = Path(__file__).resolve().parents[2]
EVERY_KIND = PROJECT / "tests" / "fixtures" / "flows" / "every_kind.yaml"


def flow_from(tmp_path: Path, old: str = "", new: str = "") -> Flow:
    path = tmp_path / "every_kind.yaml"
    path.write_text(EVERY_KIND.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    flow = load_flow(path).flow
    assert flow is not None
    return flow


def table(flow: Flow) -> PeopleTable:
    return PeopleTable({flow.id: flow}, Localizers(PROJECT / "locales").get("nl"))


def row(answers: dict[str, object], flow_id: str = "every_kind") -> ResponseRow:
    return ResponseRow(
        *(7, datetime(2026, 12, 8, 14, 30, 59, tzinfo=UTC), "16AH00", "=OBS", None),
        *("uk", flow_id, 3, 1, answers),
    )


def test_two_steps_with_one_label_get_columns_told_apart(tmp_path: Path) -> None:
    flow = flow_from(tmp_path, "label: Kinderen", "label: Groep")

    header = table(flow).header(["grade", "children", "gone"])

    assert header == [*DUTCH_COLUMNS, "Groep", "Groep (children)", "gone"]


def test_cells_are_dutch_local_and_safe(tmp_path: Path) -> None:
    steps = ["devices", "help_at_home", "children", "gone"]
    answers = {"devices": ["laptop", "retired"], "help_at_home": "yes", "children": 2}

    cells = table(flow_from(tmp_path)).cells(row({**answers, "gone": "-x"}), steps)

    assert cells[:6] == [7, datetime(2026, 12, 8, 15, 30), "16AH00", "'=OBS", "", "Oekraïens"]
    assert cells[9:11] == ["Nee", ""]  # dringend, nodig: nothing by the flow's rules
    assert cells[11:] == ["Laptop, retired", "Ja", 2, "'-x"]


def test_urgency_and_needs_follow_the_flows_own_rules(tmp_path: Path) -> None:
    answers = {"big_family": "yes", "children": 6, "devices": ["none"], "why": "Bel mij"}

    cells = table(flow_from(tmp_path)).cells(row(answers), [])

    assert cells[9:] == ["Ja", "geen apparaat, schreef de school iets"]
    fewer = table(flow_from(tmp_path)).cells(row({**answers, "children": 4}), [])
    assert fewer[9] == "Nee"


def test_the_flow_is_named_by_its_title_and_by_its_id_once_gone(tmp_path: Path) -> None:
    flow = flow_from(tmp_path)
    assert flow.title
    assert table(flow).cells(row({}), [])[6] == flow.title
    assert table(flow).cells(row({}, "old"), [])[6] == "old"


def test_a_flow_no_longer_there_shows_its_keys(tmp_path: Path) -> None:
    cells = table(flow_from(tmp_path)).cells(row({"devices": ["a", "b"]}, "old"), ["devices"])

    assert cells[-1] == "a, b"
