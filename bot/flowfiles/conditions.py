"""Check each step's `when:` condition: that it parses and tests earlier answers sensibly."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from yaml.nodes import ScalarNode

from bot.engine.expr import And, Comparison, Condition, Expr, ExprError, Not, Or, Reference, parse
from bot.engine.flow import UNANSWERED_KINDS, StepKind
from bot.flowfiles import nodes
from bot.flowfiles.positions import Position
from bot.flowfiles.problems import Code, Reporter
from bot.flowfiles.steps import StepDraft
from bot.flowfiles.yamltree import position

YES_NO: Final = ("yes", "no")
EQUALITIES: Final = frozenset({"==", "!=", "in", "not in"})
ORDERINGS: Final = frozenset({"<", "<=", ">", ">="})


def check_conditions(drafts: list[StepDraft], report: Reporter) -> dict[int, Expr]:
    """Parse every step's condition and return those without problems, by step index."""
    index = _index(drafts)
    conditions: dict[int, Expr] = {}
    for i, draft in enumerate(drafts):
        if draft.when is None:
            continue
        expr = _check_one(i, draft.written_id, draft.when, drafts, index, report)
        if expr is not None:
            conditions[i] = expr
    return conditions


def check_rule(node: ScalarNode, drafts: list[StepDraft], report: Reporter) -> Expr | None:
    """Parse a rule of the flow's meaning: a condition that may test any step of the flow.

    Its problems name the step the rule tests, since the rule belongs to no step.
    """
    # Read after the last step: every answer of the flow is known by then.
    return _check_one(len(drafts), None, node, drafts, _index(drafts), report)


def _index(drafts: list[StepDraft]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, draft in enumerate(drafts):
        if draft.id is not None:
            index.setdefault(draft.id, i)
    return index


def offset_position(node: ScalarNode, offset: int) -> Position:
    """Return where a character of a scalar's text is, when the source shows it as written.

    That holds for a one-line value, plain or quoted without escapes; for anything
    else (folded, escaped) the start of the value is the best place to point at.
    """
    start, end = node.start_mark, node.end_mark
    column = start.column
    if start.line == end.line and start.buffer is not None:
        raw = start.buffer[start.pointer : end.pointer]
        if raw == node.value:
            column += offset
        elif raw[:1] in ("'", '"') and raw[1:-1] == node.value:
            column += 1 + offset
    return Position(start.line + 1, column + 1)


def _check_one(
    i: int,
    sid: str | None,
    node: ScalarNode,
    drafts: list[StepDraft],
    index: dict[str, int],
    report: Reporter,
) -> Expr | None:
    try:
        expr = parse(node.value)
    except ExprError as error:
        message = f"the condition cannot be read: {error.message}"
        report.error(offset_position(node, error.position), sid, Code.BAD_CONDITION, message)
        return None
    # References carry no operator; the tree does, keyed by where each test starts.
    ops = {(c.step_id, c.position): c.op for c in _comparisons(expr)}
    earlier = [d.id for d in drafts[:i] if d.id is not None and _stores_answer(d)]
    ok = True
    for ref in expr.references():
        where = offset_position(node, ref.position)
        problem = _reference_problem(i, ref, ops.get((ref.step_id, ref.position)), drafts, index)
        if problem is None:
            continue
        code, message = problem
        if code is Code.BAD_REFERENCE and ref.step_id not in index:
            message += nodes.suggest(ref.step_id, earlier)
        report.error(where, sid or ref.step_id, code, message)
        ok = False
    return expr if ok else None


def _reference_problem(
    i: int, ref: Reference, op: str | None, drafts: list[StepDraft], index: dict[str, int]
) -> tuple[Code, str] | None:
    name = ref.step_id
    if name not in index:
        return Code.BAD_REFERENCE, f"the condition names step '{name}', which does not exist"
    at = index[name]
    if at == i:
        return Code.BAD_REFERENCE, "the condition names this step itself"
    target = drafts[at]
    if at > i:
        line = position(target.node).line
        message = (
            f"the condition names step '{name}', which comes later (line {line}); "
            "a condition can only use answers given before this step"
        )
        return Code.BAD_REFERENCE, message
    if target.kind is None:
        return None  # Its kind is already reported as wrong; nothing more to say.
    if not _stores_answer(target):
        return Code.BAD_REFERENCE, f"step '{name}' is a {target.kind} step and stores no answer"
    return _test_problem(target, op, ref.literals)


def _test_problem(
    target: StepDraft, op: str | None, literals: tuple[str | int, ...]
) -> tuple[Code, str] | None:
    kind, name = target.kind, target.id
    first = literals[0] if literals else "..."
    if op == "has" and kind is not StepKind.MULTI:
        message = (
            f"'has' tests a multi step, but '{name}' is a {kind} step; "
            f"write {name} == {first} instead"
        )
        return Code.BAD_CONDITION, message
    if op in EQUALITIES and kind is StepKind.MULTI:
        message = (
            f"'{name}' is a multi step, where several choices can be picked; "
            f"test it with 'has', as in {name} has {first}"
        )
        return Code.BAD_CONDITION, message
    if op in ORDERINGS and kind is not StepKind.NUMBER:
        return Code.BAD_CONDITION, f"'{op}' compares numbers, but '{name}' is a {kind} step"
    for literal in literals:
        problem = _literal_problem(target, literal)
        if problem is not None:
            return Code.BAD_LITERAL, problem
    return None


def _literal_problem(target: StepDraft, literal: str | int) -> str | None:
    kind, name = target.kind, target.id
    if kind in (StepKind.CHOICE, StepKind.MULTI):
        keys = [c.key for c in target.choices]
        if literal in keys:
            return None
        if not keys:
            # The step's own problem (no choices) is reported there; don't pile on.
            return None
        hint = nodes.suggest(str(literal), keys) or f"; its keys are {', '.join(keys)}"
        return f"'{literal}' is not a choice key of step '{name}'{hint}"
    if kind in (StepKind.YESNO, StepKind.CONSENT):
        if literal in YES_NO:
            return None
        return f"step '{name}' is answered yes or no; compare it with yes or no, not '{literal}'"
    if kind is StepKind.NUMBER:
        if isinstance(literal, int):
            return None
        return f"step '{name}' holds a number; compare it with a whole number, not '{literal}'"
    if isinstance(literal, int):
        # A typed text never equals a number: the text "3" is not the number 3.
        return f"step '{name}' holds a text; put the value in quotes: '{literal}'"
    return None


def _stores_answer(draft: StepDraft) -> bool:
    return draft.kind is not None and draft.kind not in UNANSWERED_KINDS


def _comparisons(expr: Expr) -> Iterator[Comparison]:
    if isinstance(expr, Comparison):
        yield expr
    elif isinstance(expr, Condition):
        yield from _comparisons(expr.body)
    elif isinstance(expr, Not):
        yield from _comparisons(expr.operand)
    elif isinstance(expr, And | Or):
        for operand in expr.operands:
            yield from _comparisons(operand)
