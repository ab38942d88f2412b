"""The tokens of the `when:` condition language, each with its position in the source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.engine.condition import ExprError, Value

KEYWORDS: Final = frozenset({"and", "or", "not", "in", "has"})

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
# The kinds of token that can stand as a value.
VALUES: Final = frozenset({"name", "word", "int", "string"})
_HINTS: Final = {
    "'": "this text is never closed; end it with '",
    '"': 'this text is never closed; end it with "',
    "=": "'=' is not an operator; write '==' to compare",
    "!": "'!' is not an operator; write '!=' or 'not'",
    "-": "'-' must start a negative number, as in -1; quote values that contain it",
}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind (see above), its text, its value and where it starts."""

    kind: str
    text: str
    value: Value
    position: int


def tokenize(source: str) -> list[Token]:
    """Split a condition into tokens, ending with an "end" token."""
    tokens: list[Token] = []
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
            tokens.append(Token("string", text, _unescape(text, position), position))
        elif kind != "space":
            tokens.append(Token(text if kind == "punct" else kind, text, text, position))
        position = match.end()
    tokens.append(Token("end", "", "", len(source)))
    return tokens


def _word(text: str, position: int) -> Token:
    if _INTEGER.fullmatch(text):
        return Token("int", text, int(text), position)
    if text.startswith("-"):
        raise ExprError(_HINTS["-"], position)
    kind = "word" if text[0].isdigit() else "keyword" if text in KEYWORDS else "name"
    return Token(kind, text, text, position)


def _unescape(raw: str, position: int) -> str:
    # Taking backslash pairs left to right reads '\\n' as an escaped backslash and an n,
    # not as a backslash followed by the (unknown) escape '\n'.
    for escape in re.finditer(r"\\(.)", raw, re.DOTALL):
        if escape.group(1) not in "\\'\"":
            message = f"unknown escape '{escape.group()}'; only \\\\, \\' and \\\" are allowed"
            raise ExprError(message, position + escape.start())
    return re.sub(r"\\(.)", r"\1", raw[1:-1], flags=re.DOTALL)


def describe(token: Token) -> str:
    """Name a token as an error message quotes it."""
    if token.kind == "end":
        return "the end"
    text = token.text if len(token.text) <= 30 else token.text[:27] + "..."
    return f"the text {text}" if token.kind == "string" else f"'{text}'"
