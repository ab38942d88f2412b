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

from typing import Final, NoReturn

from bot.engine.condition import (
    ORDERINGS,
    And,
    Comparison,
    Condition,
    Expr,
    ExprError,
    Not,
    Or,
    Reference,
    Value,
)
from bot.engine.tokens import KEYWORDS, VALUES, Token, describe, tokenize

__all__ = [
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "And",
    "Comparison",
    "Condition",
    "Expr",
    "ExprError",
    "Not",
    "Or",
    "Reference",
    "Value",
    "parse",
]

MAX_LENGTH: Final = 1000
# Parentheses and `not` both count; the limit keeps recursion far from Python's own.
MAX_DEPTH: Final = 32


def parse(source: str) -> Condition:
    """Parse a condition, raising ExprError with a position when it is not valid."""
    if len(source) > MAX_LENGTH:
        raise ExprError(f"the condition is longer than {MAX_LENGTH:,} characters", MAX_LENGTH)
    parser = _Parser(tokenize(source))
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
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        self.index += 1
        return self.tokens[self.index - 1]

    def at_keyword(self, word: str) -> bool:
        return self.peek.kind == "keyword" and self.peek.text == word

    def found(self) -> str:
        """Say what came last and what came instead of the expected, for error messages."""
        after = f" after {describe(self.tokens[self.index - 1])}" if self.index else ""
        return f"{after} but found {describe(self.peek)}"

    def fail(self, message: str, token: Token | None = None) -> NoReturn:
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
                    self.fail(f"expected ')' {where} but found {describe(self.peek)}")
                self.advance()
            else:
                inner = Not(self.parse_not())
            self.depth -= 1
            return inner
        if token.kind == "name":
            return self.parse_test(self.advance())
        if token.kind in VALUES:
            self.fail(f"expected a step id before a comparison but found {describe(token)}")
        if token.kind == "keyword" and self.tokens[self.index + 1].kind == "op":
            self.fail(f"'{token.text}' is a keyword and cannot be a step id")
        self.fail(f"expected a condition{self.found()}")

    def parse_test(self, step: Token) -> Comparison:
        op = self.peek
        if op.kind == "op" or self.at_keyword("has"):
            self.advance()
            value = self.parse_value()
            if op.text in ORDERINGS and not isinstance(value.value, int):
                self.fail(f"'{op.text}' compares numbers; {describe(value)} is not one", value)
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

    def parse_value(self) -> Token:
        if self.peek.kind in VALUES:
            return self.advance()
        hint = " (quote a keyword to use it as a value)" if self.peek.kind == "keyword" else ""
        self.fail(f"expected a value{self.found()}{hint}")
