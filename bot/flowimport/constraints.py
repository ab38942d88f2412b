"""Carry an XLSForm `constraint` over as a range (min, max, max_length), or say why not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.engine.flow import StepKind
from bot.flowimport.tokens import Token, UntranslatableError, tokenize

# What a range constrains, by kind of question: the answer, its length, the choices ticked.
_SUBJECTS: Final = {
    StepKind.NUMBER: ".",
    StepKind.TEXT: "string-length(.)",
    StepKind.MULTI: "count-selected(.)",
}
_FLIP: Final = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}
_INTEGER: Final = re.compile(r"-?[0-9]+")


@dataclass(frozen=True, slots=True)
class Range:
    """The smallest and largest value a constraint allows; None where it sets no bound."""

    low: int | None = None
    high: int | None = None


def constraint_range(source: str, kind: StepKind) -> Range:
    """Return the range of a constraint of bounds joined by `and`: `. >= 1 and . <= 12`."""
    subject = _SUBJECTS.get(kind)
    if subject is None:
        raise UntranslatableError(f"a {kind} question takes no range")
    low: int | None = None
    high: int | None = None
    for part in _parts(tokenize(source)):
        op, number = _bound(part, subject)
        if op in (">", ">="):
            value = number + 1 if op == ">" else number
            low = value if low is None else max(low, value)
        if op in ("<", "<="):
            value = number - 1 if op == "<" else number
            high = value if high is None else min(high, value)
        if op == "=":
            low = high = number
    if low is not None and high is not None and low > high:
        raise UntranslatableError("no answer can meet this constraint")
    return Range(low, high)


def _parts(tokens: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in tokens[:-1]:
        depth += {"(": 1, ")": -1}.get(token.kind, 0)
        if depth == 0 and token.kind == "word" and token.text == "and":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _bound(part: list[Token], subject: str) -> tuple[str, int]:
    # Brackets around one bound, as in (. >= 1) and (. <= 12), change nothing.
    while len(part) >= 2 and part[0].kind == "(" and part[-1].kind == ")":
        part = part[1:-1]
    texts = [t.text for t in part]
    ops = [i for i, t in enumerate(part) if t.kind == "op"]
    if len(ops) != 1 or ops[0] == 0 or ops[0] == len(part) - 1:
        raise UntranslatableError(f"only bounds such as {subject} >= 1 joined by 'and' carry over")
    at = ops[0]
    left, op, right = "".join(texts[:at]), texts[at], "".join(texts[at + 1 :])
    if op == "!=":
        raise UntranslatableError("'!=' excludes one value, which a range cannot say")
    if left == subject and _INTEGER.fullmatch(right):
        return op, int(right)
    if right == subject and _INTEGER.fullmatch(left):
        return _FLIP[op], int(left)
    raise UntranslatableError(f"only bounds of {subject} by a whole number carry over")
