"""Stored flow definitions: every flow comes back exactly, and old formats are migrated on read."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.expr import And, Comparison, Condition, Expr, Not, Or
from bot.engine.flow import Choice, Flow, Meaning, Need, Step, StepKind
from bot.flowfiles import load_flow
from bot.flowfiles.stored import FORMAT, MIGRATIONS, Json, Migrations, StoredFlowError, dump, load

ROOT = Path(__file__).resolve().parents[2]
FLOW_FILES = sorted([*ROOT.glob("flows/*.yaml"), *ROOT.glob("tests/fixtures/flows/*.yaml")])


def through_json(flow: Flow) -> Flow:
    """Store the flow as the database would (JSON text) and read it back."""
    return load(json.loads(json.dumps(dump(flow))))


def flow_of(path: Path) -> Flow:
    flow = load_flow(path).flow
    assert flow is not None, path
    return flow


@pytest.mark.parametrize("path", FLOW_FILES, ids=lambda p: p.name)
def test_every_flow_file_comes_back_exactly(path: Path) -> None:
    flow = flow_of(path)

    again = through_json(flow)

    assert again == flow
    assert again.revision == flow.revision
    # Equality skips the step index; the rebuilt one must find every step too.
    assert [again.position(s.id) for s in flow.steps] == list(range(len(flow.steps)))


def test_the_fixture_flows_hold_conditions_so_the_round_trip_covers_them() -> None:
    conditions = [s.when for p in FLOW_FILES for s in flow_of(p).steps if s.when is not None]
    kinds = {type(part) for c in conditions for part in parts(c)}
    assert {Condition, Comparison, Not, And, Or} <= kinds


def parts(expr: Expr) -> list[Expr]:
    if isinstance(expr, Condition):
        return [expr, *parts(expr.body)]
    if isinstance(expr, Not):
        return [expr, *parts(expr.operand)]
    if isinstance(expr, And | Or):
        return [expr, *(p for o in expr.operands for p in parts(o))]
    return [expr]


def test_a_condition_keeps_its_source_text_and_its_tree() -> None:
    flow = flow_of(ROOT / "tests" / "fixtures" / "flows" / "every_kind.yaml")
    step = next(s for s in flow.steps if s.when is not None)

    stored = next(s for s in dump(flow)["steps"] if s["id"] == step.id)["when"]

    assert stored["source"] == str(step.when)
    assert "body" in stored


def test_every_field_of_the_definition_is_stored() -> None:
    flow = flow_of(ROOT / "tests" / "fixtures" / "flows" / "every_kind.yaml")
    data = dump(flow)
    # A field added to the engine and forgotten here would silently be lost on restart.
    assert set(data) - {"format"} == {f.name for f in fields(Flow)} - {"_index"}
    assert set(data["steps"][0]) == {f.name for f in fields(Step)}
    choice = next(s for s in data["steps"] if s["choices"])["choices"][0]
    assert set(choice) == {f.name for f in fields(Choice)}


# ---- arbitrary definitions -------------------------------------------------------------

texts = st.text(max_size=20)
optional_texts = st.none() | texts
numbers = st.none() | st.integers(-(2**40), 2**40)
values = st.text(max_size=8) | st.integers(-1000, 1000)
comparisons = st.builds(
    Comparison,
    step_id=st.text(min_size=1, max_size=8),
    position=st.integers(0, 1000),
    op=st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in", "has"]),
    literals=st.lists(values, min_size=1, max_size=3).map(tuple),
)
trees = st.recursive(
    comparisons,
    lambda inner: (
        st.builds(Not, inner)
        | st.builds(And, st.lists(inner, min_size=2, max_size=3).map(tuple))
        | st.builds(Or, st.lists(inner, min_size=2, max_size=3).map(tuple))
    ),
    max_leaves=6,
)
conditions = st.none() | trees | st.builds(Condition, trees, texts)
steps = st.builds(
    Step,
    id=st.text(min_size=1, max_size=8),
    kind=st.sampled_from(StepKind),
    text=texts,
    label=optional_texts,
    choices=st.lists(st.builds(Choice, texts, texts, st.booleans()), max_size=3).map(tuple),
    optional=st.booleans(),
    when=conditions,
    min=numbers,
    max=numbers,
    max_length=numbers,
    declined=optional_texts,
    family=st.booleans(),
)
meanings = st.builds(
    Meaning,
    urgent=conditions,
    urgent_label=optional_texts,
    needs=st.lists(st.builds(Need, texts, trees, optional_texts), max_size=3).map(tuple),
    school=optional_texts,
    consent=optional_texts,
    group=optional_texts,
    contact=optional_texts,
    wishes=optional_texts,
)
flows = st.builds(
    Flow,
    id=texts,
    version=st.integers(0, 2**31),
    source_language=texts,
    languages=st.lists(texts, max_size=3).map(tuple),
    steps=st.lists(steps, max_size=4).map(tuple),
    title=texts,
    revision=texts,
    meaning=meanings,
)


@settings(max_examples=200, deadline=None)
@given(flows)
def test_any_definition_comes_back_exactly(flow: Flow) -> None:
    assert through_json(flow) == flow


# ---- formats and migrations ------------------------------------------------------------


def test_a_flow_is_stored_in_the_current_format_and_read_without_migrations() -> None:
    flow = flow_of(FLOW_FILES[0])
    assert dump(flow)["format"] == FORMAT == MIGRATIONS.current


def chain() -> tuple[Migrations, list[str]]:
    """A registry three formats long, whose migrations note that they ran."""
    migrations, ran = Migrations(3), []

    @migrations.register(1)
    def _one_to_two(data: Json) -> Json:
        ran.append("1->2")
        return {**data, "steps_seen": len(data["steps"])}

    @migrations.register(2)
    def _two_to_three(data: Json) -> Json:
        ran.append("2->3")
        return {**data, "title": f"{data['title']} ({data['steps_seen']})"}

    return migrations, ran


def test_reading_applies_each_migration_from_the_stored_format_in_turn() -> None:
    migrations, ran = chain()

    upgraded = migrations.upgrade({"format": 1, "title": "T", "steps": [1, 2]})

    assert ran == ["1->2", "2->3"]
    assert upgraded == {"format": 3, "title": "T (2)", "steps": [1, 2], "steps_seen": 2}


def test_a_definition_partway_along_the_chain_gets_only_the_later_migrations() -> None:
    migrations, ran = chain()

    upgraded = migrations.upgrade({"format": 2, "title": "T", "steps_seen": 5})

    assert ran == ["2->3"]
    assert upgraded["title"] == "T (5)"


def test_a_definition_in_the_current_format_is_left_as_it_is() -> None:
    migrations, ran = chain()
    assert migrations.upgrade({"format": 3, "title": "T"}) == {"format": 3, "title": "T"}
    assert ran == []


def test_an_old_format_is_read_into_the_same_flow() -> None:
    # As if format 1 had called the title "name", and format 2 is today's shape.
    migrations = Migrations(2)

    @migrations.register(1)
    def _title_was_name(data: Json) -> Json:
        """Format 2 calls the flow's title `title`."""
        old = dict(data)
        return {**old, "title": old.pop("name")}

    flow = flow_of(FLOW_FILES[0])
    old: dict[str, Any] = {**dump(flow), "format": 1, "name": flow.title}
    del old["title"]

    assert load(old, migrations) == flow


def test_a_gap_in_the_chain_is_an_error_not_a_guess() -> None:
    migrations = Migrations(3)
    migrations.register(2)(lambda data: data)
    with pytest.raises(StoredFlowError, match="no migration from format 1"):
        migrations.upgrade({"format": 1})


def test_a_format_newer_than_the_bot_is_refused() -> None:
    with pytest.raises(StoredFlowError, match="newer"):
        load({**dump(flow_of(FLOW_FILES[0])), "format": FORMAT + 1})


def test_one_format_has_one_migration_and_only_towards_the_current_one() -> None:
    migrations = Migrations(2)
    migrations.register(1)(lambda data: data)
    with pytest.raises(ValueError, match="already"):
        migrations.register(1)(lambda data: data)
    with pytest.raises(ValueError, match="no format 3"):
        migrations.register(2)(lambda data: data)


@pytest.mark.parametrize(
    "data",
    [
        [],
        {},
        {"format": "1"},
        {"format": True},
        {"format": 1},
        {"format": 1, "id": "x"},
        {**dump(flow_of(FLOW_FILES[0])), "version": "3"},
        {**dump(flow_of(FLOW_FILES[0])), "steps": [{"id": "q", "kind": "essay"}]},
    ],
    ids=["list", "empty", "text-format", "bool-format", "bare", "partial", "text-version", "kind"],
)
def test_a_malformed_definition_is_one_kind_of_error(data: Any) -> None:
    with pytest.raises(StoredFlowError):
        load(data)


def test_an_unknown_condition_part_is_refused() -> None:
    data = dump(flow_of(FLOW_FILES[0]))
    data["steps"][0]["when"] = {"source": "x", "body": {"xor": []}}
    with pytest.raises(StoredFlowError, match="unknown condition part"):
        load(data)
