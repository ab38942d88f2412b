"""What the conversation needs from the rest of the bot, as protocols."""

from __future__ import annotations

from typing import Protocol


class SchoolNames(Protocol):
    """The schools by name (the school catalog)."""

    def describe(self, code: str | None) -> str:
        """Return 'Name, Town' for a code, or the code itself when unknown."""
        ...
