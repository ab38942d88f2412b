"""Turn XLSForm names into flow ids and choice keys the bot accepts, each unique."""

from __future__ import annotations

import re
from typing import Final

from bot.messages.callbacks import longest_choice_key, longest_step_id

_NOT_ALLOWED: Final = re.compile(r"[^a-z0-9_]+")
# The database keeps a flow id in 64 characters.
LONGEST_FLOW_ID: Final = 64


class Namer:
    """Give each name an id of lowercase letters, digits and _, starting with a letter."""

    def __init__(self, prefix: str, longest: int) -> None:
        self.prefix = prefix
        self.longest = longest
        self.taken: set[str] = set()

    def name(self, written: str) -> str:
        """Return a new unique id for a written name, as close to it as the rules allow."""
        base = identifier(written, self.prefix, self.longest)
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            suffix = f"_{n}"
            candidate = base[: self.longest - len(suffix)] + suffix
        self.taken.add(candidate)
        return candidate


def identifier(written: str, prefix: str, longest: int) -> str:
    """Return a written name as an id: `Seedling_1` → seedling_1, `2022` → c_2022."""
    word = _NOT_ALLOWED.sub("_", written.strip().lower()).strip("_")
    if not word or not word[0].isalpha():
        word = f"{prefix}_{word}".rstrip("_")
    return word[:longest].rstrip("_")


def step_namer() -> Namer:
    """Return a namer for step ids (q_ before a name that starts with a digit)."""
    return Namer("q", longest_step_id())


def choice_namer() -> Namer:
    """Return a namer for the choice keys of one list (c_ before a digit)."""
    return Namer("c", longest_choice_key())


def flow_id(written: str) -> str:
    """Return a form's id or file name as a flow id."""
    return identifier(written, "form", LONGEST_FLOW_ID)
