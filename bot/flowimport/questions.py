"""Make one flow step of one survey row: kind, texts, condition, range, required."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from bot.engine.flow import StepKind
from bot.flowimport.constraints import constraint_range
from bot.flowimport.expressions import Target, translate
from bot.flowimport.plan import StepPlan
from bot.flowimport.tokens import UntranslatableError
from bot.flowimport.workbook import Row

if TYPE_CHECKING:
    from bot.flowimport.walk import Walk

KINDS: Final = {
    "select_one": StepKind.CHOICE,
    "select_multiple": StepKind.MULTI,
    "integer": StepKind.NUMBER,
    "decimal": StepKind.TEXT,
    "text": StepKind.TEXT,
    "note": StepKind.MESSAGE,
}
ALIASES: Final = {"select1": "select_one", "int": "integer", "string": "text"}
# Columns this import reads; any other filled-in cell is reported as not carried over.
READ: Final = ("type", "name", "label", "hint", "required", "relevant", "constraint")
YES: Final = frozenset({"yes", "true", "true()", "1"})
NO: Final = frozenset({"", "no", "false", "false()", "0"})
_REFERENCE: Final = re.compile(r"\$\{\s*([^}\s]+)\s*\}")
_BRACES: Final = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def question_step(walk: Walk, row: Row, words: list[str]) -> StepPlan | None:
    """Return the step for a question row, or None (and why) when it has no equivalent."""
    if words[0] == "select" and len(words) > 1 and words[1] in ("one", "multiple"):
        words = [f"select_{words[1]}", *words[2:]]
    base = ALIASES.get(words[0], words[0])
    name = row.get("name")
    kind = KINDS.get(base)
    if kind is None:
        written = row.get("type")
        message = f"the question type '{written}' has no equivalent in a flow; '{name}' is left out"
        walk.warn(row, "type", message)
        return None
    step = StepPlan(walk.namer.name(name), kind, _texts(walk, row), row.number, name)
    if step.id != name:
        walk.warn(
            row,
            "name",
            f"'{name}' is named '{step.id}' in the flow (lowercase letters, digits and _)",
        )
    if kind in (StepKind.CHOICE, StepKind.MULTI) and not _choices(walk, row, step, words):
        return None
    if base == "decimal":
        message = (
            "a decimal is asked as a typed answer: the bot's number questions take whole numbers"
        )
        walk.warn(row, "type", message)
    own, lost = relevant_condition(walk, row, name)
    step.when = walk.joined(own)
    if kind is not StepKind.MESSAGE:
        _required(walk, row, step)
        # Shown although the form would not always show it: a parent may pass it by.
        step.optional = step.optional or lost or walk.lost()
        if base == "decimal" and row.get("constraint"):
            walk.warn(row, "constraint", "a decimal's constraint is not carried over")
        else:
            _constraint(walk, row, step)
        keys = walk.lists[words[1]].keys if step.choices else {}
        walk.targets[name] = Target(step.id, kind, dict(keys))
    _unread(walk, row)
    return step


def relevant_condition(walk: Walk, row: Row, name: str) -> tuple[str | None, bool]:
    """Return a row's `relevant` in the `when:` language, and whether it was lost (reported)."""
    source = row.get("relevant")
    if not source:
        return None, False
    try:
        return translate(source, walk.targets), False
    except UntranslatableError as why:
        message = (
            f"the condition '{source}' cannot be carried over ({why}); '{name}' is shown "
            "always and may be skipped"
        )
        walk.warn(row, "relevant", message)
        return None, True


def _texts(walk: Walk, row: Row) -> dict[str, str]:
    languages, sheet = walk.languages, walk.sheet
    labels = languages.texts(sheet, row, "label")
    hints = languages.texts(sheet, row, "hint")
    if languages.source not in labels:
        message = "this question has no label in the form's language; its name is shown instead"
        walk.warn(row, "label", message)
        labels[languages.source] = row.get("name")
    texts = {}
    for code, label in labels.items():
        hint = hints.get(code)
        texts[code] = f"{label}\n{hint}" if hint else label
    return {code: _plain(walk, row, text) for code, text in texts.items()}


def _plain(walk: Walk, row: Row, text: str) -> str:
    # A flow text cannot show another answer; "…" marks where the form showed one.
    if _REFERENCE.search(text):
        names = ", ".join(sorted(set(_REFERENCE.findall(text))))
        message = (
            f"the label shows the answer to {names}; a flow text cannot, so it reads '…' there"
        )
        walk.warn(row, "label", message)
        text = _REFERENCE.sub("…", text)
    # {name} would be read as one of the installation's values, such as {organisation}.
    text = _BRACES.sub(r"(\1)", text)
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _choices(walk: Walk, row: Row, step: StepPlan, words: list[str]) -> bool:
    if len(words) < 2:
        walk.fail(row, "type", f"'{row.get('type')}' names no choice list")
        return False
    choices = walk.lists.get(words[1])
    if choices is None:
        known = ", ".join(sorted(walk.lists)) or "none"
        walk.fail(
            row,
            "type",
            f"the choice list '{words[1]}' is not in the choices sheet (it has: {known})",
        )
        return False
    if len(words) > 2:
        walk.warn(
            row,
            "type",
            f"'{' '.join(words[2:])}' is not carried over: parents pick one of the choices",
        )
    if len(choices.choices) < 2:
        walk.warn(
            row,
            "type",
            f"the list '{words[1]}' has fewer than two choices; '{step.name}' is left out",
        )
        return False
    step.choices = list(choices.choices)
    return True


def _required(walk: Walk, row: Row, step: StepPlan) -> None:
    value = row.get("required").lower()
    if value in YES:
        return
    step.optional = True
    if value not in NO:
        walk.warn(
            row,
            "required",
            f"'{row.get('required')}' is not carried over; the question may be skipped",
        )


def _constraint(walk: Walk, row: Row, step: StepPlan) -> None:
    source = row.get("constraint")
    if not source:
        return
    try:
        bounds = constraint_range(source, step.kind)
    except UntranslatableError as why:
        walk.warn(row, "constraint", f"the constraint '{source}' is not carried over ({why})")
        return
    if step.kind is StepKind.TEXT:
        step.max_length = bounds.high
        if bounds.low is not None:
            walk.warn(row, "constraint", "a shortest length is not carried over, only the longest")
        return
    step.min, step.max = bounds.low, bounds.high


def _unread(walk: Walk, row: Row) -> None:
    for column, value in row.cells.items():
        field = column.split("::")[0].strip().lower()
        if field in READ or not value.strip():
            continue
        shown = value.strip() if len(value.strip()) <= 40 else value.strip()[:37] + "..."
        walk.warn(row, column, f"'{shown}' is not carried over: a flow has no {field}")
