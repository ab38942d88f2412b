"""A parsed `when:` condition: a tree of tests on answers, evaluated three-valued.

bot/engine/expr.py parses the source text into it.
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar, Final

from bot.engine.state import AnswerValue

Value = str | int

ORDERINGS: Final[Mapping[str, Callable[[int, int], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class ExprError(ValueError):
    """A condition that cannot be parsed, and where in its source the problem is."""

    message: str
    position: int

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class Reference:
    """One place where a condition tests a step, with the values it compares the answer to."""

    step_id: str
    position: int
    literals: tuple[Value, ...]


class Expr(ABC):
    """A parsed condition or one part of it."""

    __slots__ = ()

    @abstractmethod
    def evaluate(self, answers: Mapping[str, AnswerValue]) -> bool | None:
        """Return whether the condition holds, or None while it depends on an unanswered step."""

    @abstractmethod
    def references(self) -> Iterator[Reference]:
        """Yield every test of a step, in source order."""


def _equals(answer: AnswerValue, literal: Value) -> bool:
    # Like with like only: the text "3" is not the number 3, and neither a skipped
    # step (None) nor a multi answer (a tuple, tested with `has`) equals a single value.
    if isinstance(answer, str) and isinstance(literal, str):
        return answer == literal
    if isinstance(answer, int) and isinstance(literal, int):
        return answer == literal
    return False


@dataclass(frozen=True, slots=True)
class Comparison(Expr):
    """One step's answer tested with `op` ("==", "<", "in", "not in", "has", ...)."""

    step_id: str
    position: int
    op: str
    # One value, except for "in" and "not in"; orderings always hold an int (the parser
    # checks), `has` always a str.
    literals: tuple[Value, ...]

    def evaluate(self, answers: Mapping[str, AnswerValue]) -> bool | None:
        # Absent means not answered yet; present as None means skipped, which is known.
        if self.step_id not in answers:
            return None
        answer, first = answers[self.step_id], self.literals[0]
        if self.op == "has":
            return isinstance(answer, tuple) and first in answer
        if self.op in ORDERINGS:
            return (
                isinstance(answer, int)
                and isinstance(first, int)
                and ORDERINGS[self.op](answer, first)
            )
        matched = any(_equals(answer, literal) for literal in self.literals)
        return not matched if self.op in ("!=", "not in") else matched

    def references(self) -> Iterator[Reference]:
        yield Reference(self.step_id, self.position, self.literals)


@dataclass(frozen=True, slots=True)
class Not(Expr):
    """`not operand`; unknown stays unknown."""

    operand: Expr

    def evaluate(self, answers: Mapping[str, AnswerValue]) -> bool | None:
        result = self.operand.evaluate(answers)
        return None if result is None else not result

    def references(self) -> Iterator[Reference]:
        return self.operand.references()


@dataclass(frozen=True, slots=True)
class _Junction(Expr):
    operands: tuple[Expr, ...]
    # The outcome any one operand settles for all: False for `and`, True for `or`.
    decisive: ClassVar[bool]

    def evaluate(self, answers: Mapping[str, AnswerValue]) -> bool | None:
        # Kleene logic: a decisive operand wins even while others are still unknown.
        result: bool | None = not self.decisive
        for operand in self.operands:
            value = operand.evaluate(answers)
            if value is self.decisive:
                return value
            if value is None:
                result = None
        return result

    def references(self) -> Iterator[Reference]:
        for operand in self.operands:
            yield from operand.references()


class And(_Junction):
    """All operands hold."""

    __slots__ = ()
    decisive = False


class Or(_Junction):
    """At least one operand holds."""

    __slots__ = ()
    decisive = True


@dataclass(frozen=True, slots=True)
class Condition(Expr):
    """The root of a parsed condition, remembering the source text it came from."""

    body: Expr
    source: str

    def evaluate(self, answers: Mapping[str, AnswerValue]) -> bool | None:
        return self.body.evaluate(answers)

    def references(self) -> Iterator[Reference]:
        return self.body.references()

    def __str__(self) -> str:
        return self.source
