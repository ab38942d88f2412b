"""Say an XLSForm `relevant` expression in the flow's `when:` language, or say why not."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.engine.flow import StepKind
from bot.flowimport.tokens import Token, UntranslatableError, tokenize

# XPath's comparisons, as the `when:` language writes them.
OPERATORS: Final = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
FLIPPED: Final = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_BARE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|-?[0-9]+")
_WHEN_KEYWORDS: Final = frozenset({"and", "or", "not", "in", "has"})


@dataclass(frozen=True, slots=True)
class Target:
    """A question that an expression may name: its step id, kind and choice keys by name."""

    step_id: str
    kind: StepKind
    keys: Mapping[str, str] = field(default_factory=dict)


def translate(source: str, targets: Mapping[str, Target]) -> str:
    """Return the `when:` condition for an XLSForm expression, naming earlier questions only."""
    parser = _Parser(tokenize(source), targets)
    result = parser.disjunction()
    if parser.peek.kind != "end":
        raise UntranslatableError(f"'{parser.peek.text}' is not understood here")
    return result


def combine(conditions: list[str]) -> str | None:
    """Join conditions that must all hold (a group's and a question's own)."""
    if not conditions:
        return None
    if len(conditions) == 1:
        return conditions[0]
    return " and ".join(f"({c})" for c in conditions)


def literal(value: str) -> str:
    """Write a value for the `when:` language: bare when it can be, else quoted."""
    if _BARE.fullmatch(value) and value not in _WHEN_KEYWORDS:
        return value
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


class _Parser:
    def __init__(self, tokens: list[Token], targets: Mapping[str, Target]) -> None:
        self.tokens = tokens
        self.index = 0
        self.targets = targets

    @property
    def peek(self) -> Token:
        return self.tokens[self.index]

    def take(self, kind: str) -> Token:
        token = self.peek
        if token.kind != kind:
            shown = token.text or "the end"
            raise UntranslatableError(f"expected {kind!r} but found '{shown}'")
        self.index += 1
        return token

    def disjunction(self) -> str:
        parts = [self.conjunction()]
        while self.peek.kind == "word" and self.peek.text == "or":
            self.index += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else " or ".join(parts)

    def conjunction(self) -> str:
        parts = [self.unary()]
        while self.peek.kind == "word" and self.peek.text == "and":
            self.index += 1
            parts.append(self.unary())
        if len(parts) == 1:
            return parts[0]
        # Each part comes from unary(), so an `or` in it already has its brackets.
        return " and ".join(parts)

    def unary(self) -> str:
        token = self.peek
        if token.kind == "word" and token.text == "not":
            self.index += 1
            self.take("(")
            inner = self.disjunction()
            self.take(")")
            return f"not ({inner})"
        if token.kind == "(":
            self.index += 1
            inner = self.disjunction()
            self.take(")")
            return f"({inner})"
        if token.kind == "word" and token.text == "selected":
            return self.selected()
        if token.kind == "word":
            raise UntranslatableError(f"the function or word '{token.text}' has no equivalent")
        if token.kind == "dot":
            raise UntranslatableError("'.' (this question's own answer) cannot be tested before it")
        return self.comparison()

    def selected(self) -> str:
        self.index += 1
        self.take("(")
        target = self.reference()
        self.take(",")
        value = self.value()
        self.take(")")
        key = _key(target, value)
        if target.kind is StepKind.MULTI:
            return f"{target.step_id} has {key}"
        if target.kind is StepKind.CHOICE:
            return f"{target.step_id} == {key}"
        raise UntranslatableError(f"selected() tests a select question, not '{target.step_id}'")

    def comparison(self) -> str:
        if self.peek.kind == "ref":
            target = self.reference()
            op = self.take("op").text
            value = self.value()
        else:
            value = self.value()
            op = FLIPPED[self.take("op").text]
            target = self.reference()
        return _test(target, op, value)

    def reference(self) -> Target:
        name = self.take("ref").text
        target = self.targets.get(name)
        if target is None:
            raise UntranslatableError(f"${{{name}}} is not a question asked before this one")
        return target

    def value(self) -> Token:
        token = self.peek
        if token.kind not in ("string", "number"):
            shown = token.text or "the end"
            raise UntranslatableError(f"expected a value in quotes or a number, found '{shown}'")
        self.index += 1
        return token


def _test(target: Target, op: str, value: Token) -> str:
    written = OPERATORS[op]
    if target.kind is StepKind.MULTI:
        raise UntranslatableError(
            f"'{op}' on a select_multiple question; test it with selected(${{...}}, 'x')"
        )
    if target.kind is StepKind.CHOICE:
        if written not in ("==", "!="):
            raise UntranslatableError(
                f"'{op}' compares numbers, not the choices of a select question"
            )
        return f"{target.step_id} {written} {_key(target, value)}"
    if target.kind is StepKind.NUMBER:
        if not re.fullmatch(r"-?[0-9]+", value.text):
            raise UntranslatableError(f"a whole-number question compared with '{value.text}'")
        return f"{target.step_id} {written} {value.text}"
    if written not in ("==", "!="):
        raise UntranslatableError(f"'{op}' compares numbers, but this answer is typed text")
    if value.text == "":
        raise UntranslatableError("a test of an empty answer has no equivalent")
    quoted = "'" + value.text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return f"{target.step_id} {written} {quoted}"


def _key(target: Target, value: Token) -> str:
    key = target.keys.get(value.text)
    if key is None:
        raise UntranslatableError(f"'{value.text}' is not a choice of question '{target.step_id}'")
    return literal(key)
