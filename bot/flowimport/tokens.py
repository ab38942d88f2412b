"""Split an XLSForm expression (its XPath subset) into tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


class UntranslatableError(Exception):
    """An expression the flow's `when:` language cannot say; the message says why."""


@dataclass(frozen=True, slots=True)
class Token:
    """One token: kind (ref, string, number, op, word, punct, dot, end) and its text."""

    kind: str
    text: str


# Curly quotes are what a spreadsheet's autocorrect makes of ' and "; the author meant quotes.
_TOKEN: Final = re.compile(
    r"""(?P<space>\s+)
      | (?P<ref>\$\{\s*[^}\s]+\s*\})
      | (?P<string>'[^']*'|"[^"]*"|‘[^’]*’|“[^”]*”)
      | (?P<number>-?[0-9]+(?:\.[0-9]+)?)
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<word>[A-Za-z_][A-Za-z0-9_:.-]*)
      | (?P<dot>\.)
      | (?P<punct>[(),])""",
    re.VERBOSE,
)


def tokenize(source: str) -> list[Token]:
    """Split an expression into tokens, ending with an "end" token."""
    tokens: list[Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise UntranslatableError(f"'{source[position]}' cannot be read here")
        kind, text = match.lastgroup or "", match.group()
        if kind == "ref":
            tokens.append(Token("ref", text[2:-1].strip()))
        elif kind == "string":
            tokens.append(Token("string", text[1:-1]))
        elif kind == "punct":
            tokens.append(Token(text, text))
        elif kind != "space":
            tokens.append(Token(kind, text))
        position = match.end()
    tokens.append(Token("end", ""))
    return tokens
