"""The `when:` condition language: parsed by hand (never eval), evaluated three-valued.

Grammar, loosest binding first:

    condition := or END
    or        := and ("or" and)*
    and       := not ("and" not)*
    not       := "not" not | "(" or ")" | test
    test      := STEP ("==" | "!=" | "<" | "<=" | ">" | ">=") value
               | STEP ["not"] "in" ("[" values "]" | "(" values ")")
               | STEP "has" value
    values    := value ("," value)*
    value     := WORD | INTEGER | 'quoted' | "quoted"

A bare WORD (`laptop`, `16AH00`) is text, unless it is all digits with an optional minus:
then it is an integer. Quote any other value, such as a keyword or a key with a dash.

`parse` returns a `Condition`: the root of the tree together with its source text.
"""

from __future__ import annotations

import operator
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar, Final, NoReturn

from bot.engine.state import AnswerValue

MAX_LENGTH: Final = 1000
# Parentheses and `not` both count; the limit keeps recursion far from Python's own.
MAX_DEPTH: Final = 32
KEYWORDS: Final = frozenset({"and", "or", "not", "in", "has"})

Value = str | int

_ORDERINGS: Final[Mapping[str, Callable[[int, int], bool]]] = {
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
        if self.op in _ORDERINGS:
            return (
                isinstance(answer, int)
                and isinstance(first, int)
                and _ORDERINGS[self.op](answer, first)
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


# ---- tokens ----------------------------------------------------------------------------

# Kinds: "name" (an identifier: a step id or a bare value), "keyword", "word" (a bare value
# starting with a digit, such as a school code), "int", "string", "op", one of the
# punctuation characters, or "end".
_TOKEN: Final = re.compile(
    r"""(?P<space>\s+)
      | (?P<op>==|!=|<=|>=|<|>)
      | (?P<punct>[()\[\],])
      | (?P<word>-?[A-Za-z0-9_]+)
      | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""",
    re.VERBOSE | re.DOTALL,
)
_INTEGER: Final = re.compile(r"-?[0-9]+")
_VALUES: Final = frozenset({"name", "word", "int", "string"})
_HINTS: Final = {
    "'": "this text is never closed; end it with '",
    '"': 'this text is never closed; end it with "',
    "=": "'=' is not an operator; write '==' to compare",
    "!": "'!' is not an operator; write '!=' or 'not'",
    "-": "'-' must start a negative number, as in -1; quote values that contain it",
}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    value: Value
    position: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            char = source[position]
            raise ExprError(_HINTS.get(char, f"unexpected character {char!r}"), position)
        kind, text = match.lastgroup or "", match.group()
        if kind == "word":
            tokens.append(_word(text, position))
        elif kind == "string":
            tokens.append(_Token("string", text, _unescape(text, position), position))
        elif kind != "space":
            tokens.append(_Token(text if kind == "punct" else kind, text, text, position))
        position = match.end()
    tokens.append(_Token("end", "", "", len(source)))
    return tokens


def _word(text: str, position: int) -> _Token:
    if _INTEGER.fullmatch(text):
        return _Token("int", text, int(text), position)
    if text.startswith("-"):
        raise ExprError(_HINTS["-"], position)
    kind = "word" if text[0].isdigit() else "keyword" if text in KEYWORDS else "name"
    return _Token(kind, text, text, position)


def _unescape(raw: str, position: int) -> str:
    # Taking backslash pairs left to right reads '\\n' as an escaped backslash and an n,
    # not as a backslash followed by the (unknown) escape '\n'.
    for escape in re.finditer(r"\\(.)", raw, re.DOTALL):
        if escape.group(1) not in "\\'\"":
            message = f"unknown escape '{escape.group()}'; only \\\\, \\' and \\\" are allowed"
            raise ExprError(message, position + escape.start())
    return re.sub(r"\\(.)", r"\1", raw[1:-1], flags=re.DOTALL)


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "the end"
    text = token.text if len(token.text) <= 30 else token.text[:27] + "..."
    return f"the text {text}" if token.kind == "string" else f"'{text}'"


# ---- parser ----------------------------------------------------------------------------


def parse(source: str) -> Condition:
    """Parse a condition, raising ExprError with a position when it is not valid."""
    if len(source) > MAX_LENGTH:
        raise ExprError(f"the condition is longer than {MAX_LENGTH:,} characters", MAX_LENGTH)
    parser = _Parser(_tokenize(source))
    if parser.peek.kind == "end":
        raise ExprError("the condition is empty", 0)
    body = parser.parse_or()
    if parser.peek.kind == ")":
        parser.fail("this ')' has no matching '('")
    if parser.peek.kind != "end":
        hint = " (keywords are lowercase)" if parser.peek.text.lower() in KEYWORDS else ""
        parser.fail(f"expected 'and', 'or' or the end{parser.found()}{hint}")
    return Condition(body, source)


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        self.index += 1
        return self.tokens[self.index - 1]

    def at_keyword(self, word: str) -> bool:
        return self.peek.kind == "keyword" and self.peek.text == word

    def found(self) -> str:
        """Say what came last and what came instead of the expected, for error messages."""
        after = f" after {_describe(self.tokens[self.index - 1])}" if self.index else ""
        return f"{after} but found {_describe(self.peek)}"

    def fail(self, message: str, token: _Token | None = None) -> NoReturn:
        raise ExprError(message, (token or self.peek).position)

    def parse_or(self) -> Expr:
        # Flat n-ary nodes rather than nested binary ones keep long chains shallow.
        operands = [self.parse_and()]
        while self.at_keyword("or"):
            self.advance()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Expr:
        operands = [self.parse_not()]
        while self.at_keyword("and"):
            self.advance()
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_not(self) -> Expr:
        token = self.peek
        if self.at_keyword("not") or token.kind == "(":
            self.advance()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.fail(f"the condition nests deeper than {MAX_DEPTH} levels", token)
            if token.kind == "(":
                inner = self.parse_or()
                if self.peek.kind != ")":
                    where = f"to close the '(' at position {token.position}"
                    self.fail(f"expected ')' {where} but found {_describe(self.peek)}")
                self.advance()
            else:
                inner = Not(self.parse_not())
            self.depth -= 1
            return inner
        if token.kind == "name":
            return self.parse_test(self.advance())
        if token.kind in _VALUES:
            self.fail(f"expected a step id before a comparison but found {_describe(token)}")
        if token.kind == "keyword" and self.tokens[self.index + 1].kind == "op":
            self.fail(f"'{token.text}' is a keyword and cannot be a step id")
        self.fail(f"expected a condition{self.found()}")

    def parse_test(self, step: _Token) -> Comparison:
        op = self.peek
        if op.kind == "op" or self.at_keyword("has"):
            self.advance()
            value = self.parse_value()
            if op.text in _ORDERINGS and not isinstance(value.value, int):
                self.fail(f"'{op.text}' compares numbers; {_describe(value)} is not one", value)
            if op.text == "has" and isinstance(value.value, int):
                self.fail(f"'has' takes a choice key; write it in quotes: '{value.value}'", value)
            return Comparison(step.text, step.position, op.text, (value.value,))
        negated = self.at_keyword("not")
        if negated:
            self.advance()
            if not self.at_keyword("in"):
                self.fail(f"expected 'in'{self.found()}")
        if self.at_keyword("in"):
            self.advance()
            op_text = "not in" if negated else "in"
            return Comparison(step.text, step.position, op_text, self.parse_list())
        if op.kind in ("end", ")") or op.text in ("and", "or"):
            self.fail(f"'{step.text}' alone is not a condition; compare it, as in {step.text} == x")
        self.fail(f"expected a comparison such as '==', 'in' or 'has'{self.found()}")

    def parse_list(self) -> tuple[Value, ...]:
        opening = self.peek
        if opening.kind not in ("[", "("):
            self.fail(f"expected a list such as [a, b]{self.found()}")
        self.advance()
        closing = "]" if opening.kind == "[" else ")"
        if self.peek.kind == closing:
            self.fail("the list is empty; give at least one value", opening)
        values = [self.parse_value().value]
        while self.peek.kind == ",":
            self.advance()
            values.append(self.parse_value().value)
        if self.peek.kind != closing:
            self.fail(f"expected ',' or '{closing}' in the list{self.found()}")
        self.advance()
        return tuple(values)

    def parse_value(self) -> _Token:
        if self.peek.kind in _VALUES:
            return self.advance()
        hint = " (quote a keyword to use it as a value)" if self.peek.kind == "keyword" else ""
        self.fail(f"expected a value{self.found()}{hint}")
