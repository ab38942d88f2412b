"""Walk the survey sheet row by row into flow steps, reporting what does not carry over."""

from __future__ import annotations

from typing import Final

from bot.flowimport.plan import StepPlan
from bot.flowimport.questions import question_step, relevant_condition
from bot.flowimport.walk import Frame, Walk
from bot.flowimport.workbook import SURVEY, Row

# Rows that record something about the device or the moment, never asked of anyone.
METADATA: Final = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "phonenumber",
        "username",
        "simserial",
        "subscriberid",
        "email",
        "audit",
        "uri:deviceid",
        "start-geopoint",
        "background-audio",
    }
)
SECTIONS: Final = {"group": "group", "repeat": "repeat"}


def read_survey(walk: Walk) -> list[StepPlan]:
    """Turn every row of the survey sheet into a step, or say why it is left out."""
    if walk.sheet.column("type") is None or walk.sheet.column("name") is None:
        walk.findings.error(SURVEY, 1, None, "the survey sheet needs a 'type' and a 'name' column")
        return []
    for row in walk.sheet.rows:
        _row(walk, row)
    for frame in reversed(walk.stack):
        message = f"the {frame.kind} '{frame.name}' begun here is never ended (end {frame.kind})"
        walk.fail(Row(frame.row, {}), "type", message)
    return walk.steps


def _row(walk: Walk, row: Row) -> None:
    kind = " ".join(row.get("type").split()).lower()
    if not kind:
        if any(v.strip() for v in row.cells.values()):
            walk.warn(row, "type", "this row has no type and is left out")
        return
    words = kind.replace("begin_", "begin ").replace("end_", "end ").split()
    if words[0] in ("begin", "end") and len(words) > 1 and words[1] in SECTIONS:
        _section(walk, row, words[0], SECTIONS[words[1]])
        return
    name = row.get("name")
    if not name:
        walk.fail(row, "name", "this question has no name")
        return
    if name in walk.seen:
        walk.fail(row, "name", f"the name '{name}' is already used on row {walk.seen[name]}")
        return
    walk.seen[name] = row.number
    if kind in METADATA or kind == "calculate":
        what = "is a calculation" if kind == "calculate" else f"is '{kind}', which a device records"
        walk.warn(row, "type", f"'{name}' {what}; a flow asks parents only, so it is left out")
        return
    step = question_step(walk, row, words)
    if step is not None:
        walk.steps.append(step)


def _section(walk: Walk, row: Row, edge: str, kind: str) -> None:
    if edge == "end":
        if not walk.stack or walk.stack[-1].kind != kind:
            walk.fail(row, "type", f"this 'end {kind}' has no 'begin {kind}' before it")
            return
        walk.stack.pop()
        return
    name = row.get("name") or "(no name)"
    condition, lost = relevant_condition(walk, row, name)
    if kind == "repeat":
        message = (
            f"the repeat '{name}' is not carried over as a repeat: a flow asks each question "
            "once, so its questions are asked one time"
        )
    else:
        message = (
            f"the group '{name}' is not carried over as a group: its questions are asked one by one"
        )
    walk.warn(row, "type", message)
    walk.stack.append(Frame(kind, name, row.number, condition, lost))
