"""A flow open for a period: read from the YAML, checked, stored, and asked of each day."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from bot.flowfiles import LoadResult, load_flow
from bot.flowfiles.stored import dump, load

ROOT = Path(__file__).resolve().parents[2]
BODY = """\
steps:
  - id: hello
    kind: message
    text: Hallo
"""


def flow_with(tmp_path: Path, period: str) -> LoadResult:
    path = tmp_path / "flow.yaml"
    source = f"id: test\nversion: 1\nlanguages: [nl]\n{textwrap.dedent(period)}{BODY}"
    path.write_text(source, encoding="utf-8")
    return load_flow(path)


def test_an_open_period_is_read_and_asked_of_each_day(tmp_path: Path) -> None:
    result = flow_with(tmp_path, "open_from: 2027-01-10\nopen_until: 2027-01-31\n")
    assert result.problems == []
    flow = result.flow
    assert flow is not None
    assert (flow.open_from, flow.open_until) == (date(2027, 1, 10), date(2027, 1, 31))
    assert not flow.is_open(date(2027, 1, 9))
    assert flow.is_open(date(2027, 1, 10))
    assert flow.is_open(date(2027, 1, 31))  # the last day is included
    assert not flow.is_open(date(2027, 2, 1))


def test_one_side_only_and_none_at_all(tmp_path: Path) -> None:
    until = flow_with(tmp_path, "open_until: 2027-01-31\n").flow
    assert until is not None
    assert until.is_open(date(2020, 1, 1))
    assert not until.is_open(date(2027, 2, 1))
    always = flow_with(tmp_path, "").flow
    assert always is not None
    assert always.is_open(date(1999, 1, 1))


@pytest.mark.parametrize(
    ("period", "code", "line"),
    [
        ("open_from: 10-01-2027\n", "bad-value", 4),
        ("open_from: 2027-02-30\n", "bad-value", 4),
        ("open_until: soon\n", "bad-value", 4),
        ("open_until: [2027-01-10]\n", "bad-value", 4),
        ("open_from: 2027-02-01\nopen_until: 2027-01-31\n", "bad-range", 5),
        ("open_til: 2027-01-31\n", "unknown-key", 4),
    ],
)
def test_a_wrong_period_is_named_with_its_line(
    tmp_path: Path, period: str, code: str, line: int
) -> None:
    result = flow_with(tmp_path, period)
    assert result.flow is None
    [problem] = result.problems
    assert (problem.code, problem.line) == (code, line), problem.format()


def test_an_unknown_key_near_a_period_key_suggests_it(tmp_path: Path) -> None:
    [problem] = flow_with(tmp_path, "open_til: 2027-01-31\n").problems
    assert "open_until" in problem.message


def test_the_period_survives_storing(tmp_path: Path) -> None:
    flow = flow_with(tmp_path, "open_from: 2027-01-10\n").flow
    assert flow is not None
    again = load(json.loads(json.dumps(dump(flow))))
    assert (again.open_from, again.open_until) == (date(2027, 1, 10), None)
    # A definition stored before periods existed has none.
    older = {k: v for k, v in dump(flow).items() if k not in ("open_from", "open_until")}
    assert load(older).open_from is None


def test_the_schema_knows_the_period() -> None:
    schema = json.loads((ROOT / "flows" / "flow.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    # Editors read YAML 1.2, where a date is a text: quoted here for PyYAML's 1.1.
    good = yaml.safe_load(
        f"id: test\nversion: 1\nlanguages: [nl]\nopen_until: '2027-01-31'\n{BODY}"
    )
    bad = yaml.safe_load(f"id: test\nversion: 1\nlanguages: [nl]\nopen_until: 'soon'\n{BODY}")
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors(bad)) != []
