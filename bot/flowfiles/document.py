"""Read the top level of a flow document and assemble the flow from its steps."""

from __future__ import annotations

import re
from typing import Final

from yaml.nodes import MappingNode, Node

from bot.engine.expr import Expr
from bot.engine.flow import Flow, Step, StepKind
from bot.flowfiles import nodes, period
from bot.flowfiles.conditions import check_conditions
from bot.flowfiles.meaning import read_meaning
from bot.flowfiles.positions import START, Positions
from bot.flowfiles.problems import Code, Reporter
from bot.flowfiles.steps import StepDraft, read_step
from bot.flowfiles.yamltree import position

TOP_KEYS: Final = (
    "id",
    "version",
    "title",
    "source_language",
    "languages",
    *period.KEYS,
    "steps",
    "meaning",
)
REQUIRED: Final = ("id", "version", "languages", "steps")
# Every text in flows and code is written in Dutch first, unless a flow says otherwise.
DEFAULT_SOURCE_LANGUAGE: Final = "nl"
# A language as Babel and locales/ name it: nl, pt_BR, zh_Hant.
# The database keeps a flow id in 64 characters (flow_versions, sessions, responses);
# PostgreSQL refuses a longer one.
LONGEST_FLOW_ID: Final = 64
LANGUAGE_PATTERN: Final = re.compile(r"[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2})?")


def read_flow(root: Node, revision: str, report: Reporter, positions: Positions) -> Flow | None:
    """Read a whole flow document; None when something essential is missing or wrong."""
    if not isinstance(root, MappingNode):
        message = "a flow file must be a set of keys (id, version, languages, steps)"
        report.error(position(root), None, Code.NOT_A_MAPPING, message)
        return None
    fields = nodes.items(root, TOP_KEYS, report, None, "the flow")
    for name, (_, value) in fields.items():
        positions.add((name,), position(value))
    for name in REQUIRED:
        if name not in fields:
            report.error(START, None, Code.MISSING, f"the flow has no '{name}'")
    flow_id = None
    if "id" in fields:
        why = "the length the database keeps"
        flow_id = nodes.identifier(
            fields["id"][1], "flow id", report, None, longest=LONGEST_FLOW_ID, why=why
        )
    version = _version(fields, report)
    title = nodes.text(fields["title"][1], "title", report, None) if "title" in fields else ""
    languages = _languages(fields, report, positions)
    source = _source_language(fields, languages, report)
    open_from, open_until = period.read_period(fields, report)
    drafts = _steps(fields, report, positions)
    conditions = check_conditions(drafts, report)
    meaning = read_meaning(
        fields["meaning"][1] if "meaning" in fields else None, drafts, report, positions
    )
    if report.failed or flow_id is None or version is None or title is None:
        return None
    steps = tuple(_build(draft, conditions.get(i)) for i, draft in enumerate(drafts))
    return Flow(
        flow_id,
        version,
        source,
        languages,
        steps,
        title,
        revision,
        open_from=open_from,
        open_until=open_until,
        meaning=meaning,
    )


def _version(fields: nodes.Items, report: Reporter) -> int | None:
    if "version" not in fields:
        return None
    value_node = fields["version"][1]
    version = nodes.integer(value_node, "version", report, None)
    if version is not None and version < 1:
        report.error(position(value_node), None, Code.BAD_VALUE, "'version' must be 1 or more")
        return None
    return version


def _languages(fields: nodes.Items, report: Reporter, positions: Positions) -> tuple[str, ...]:
    if "languages" not in fields:
        return ()
    value_node = fields["languages"][1]
    items = nodes.sequence(value_node, "languages", report, None)
    if items is None:
        return ()
    if not items:
        report.error(position(value_node), None, Code.MISSING, "'languages' lists no language")
    codes: list[str] = []
    for item in items:
        code = nodes.text(item, "language", report, None)
        if code is None:
            continue
        if not LANGUAGE_PATTERN.fullmatch(code):
            message = f"'{code}' is not a language code; use codes such as nl, en, ar or pt_BR"
            report.error(position(item), None, Code.BAD_VALUE, message)
        elif code in codes:
            message = f"language '{code}' is listed twice"
            report.error(position(item), None, Code.DUPLICATE_LANGUAGE, message)
        else:
            codes.append(code)
            positions.add(("languages", code), position(item))
    return tuple(codes)


def _source_language(fields: nodes.Items, languages: tuple[str, ...], report: Reporter) -> str:
    if "source_language" not in fields:
        return DEFAULT_SOURCE_LANGUAGE
    value_node = fields["source_language"][1]
    source = nodes.text(value_node, "source_language", report, None)
    if source is None:
        return DEFAULT_SOURCE_LANGUAGE
    if languages and source not in languages:
        message = f"the source language '{source}' must also be listed in 'languages'"
        report.error(position(value_node), None, Code.BAD_VALUE, message)
    return source


def _steps(fields: nodes.Items, report: Reporter, positions: Positions) -> list[StepDraft]:
    if "steps" not in fields:
        return []
    value_node = fields["steps"][1]
    items = nodes.sequence(value_node, "steps", report, None)
    if items is None:
        return []
    if not items:
        report.error(position(value_node), None, Code.MISSING, "'steps' lists no step")
    drafts: list[StepDraft] = []
    seen: dict[str, StepDraft] = {}
    summary: StepDraft | None = None
    for item in items:
        draft = read_step(item, report, positions)
        if draft.id is not None and draft.id in seen:
            line = position(seen[draft.id].node).line
            message = f"step id '{draft.id}' is already used by the step on line {line}"
            report.error(draft.id_at or position(draft.node), draft.id, Code.DUPLICATE_ID, message)
        elif draft.id is not None:
            seen[draft.id] = draft
        if draft.kind is StepKind.SUMMARY and summary is not None:
            line = position(summary.node).line
            message = f"a flow has at most one summary step; there is one on line {line}"
            report.error(position(draft.node), draft.id, Code.MISPLACED, message)
        elif draft.kind is StepKind.SUMMARY:
            summary = draft
        drafts.append(draft)
    return drafts


def _build(draft: StepDraft, when: Expr | None) -> Step:
    # Only called when nothing was reported, so every required field is there.
    assert draft.id is not None
    assert draft.kind is not None
    assert draft.text is not None
    return Step(
        id=draft.id,
        kind=draft.kind,
        text=draft.text,
        label=draft.label,
        choices=tuple(draft.choices),
        optional=draft.optional,
        when=when,
        min=draft.min,
        max=draft.max,
        max_length=draft.max_length,
        declined=draft.declined,
        family=draft.family,
    )
