"""What the engine needs from its caller, as protocols: texts in the parent's language, schools."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.engine.state import SchoolMatch


class Localizer(Protocol):
    """Translations and number formatting in one parent's language."""

    @property
    def language(self) -> str:
        """Return the language code, such as 'ar'."""
        ...

    def gettext(self, message: str, /) -> str:
        """Translate one of the bot's own texts."""
        ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        """Translate one of the bot's own texts that has a plural form."""
        ...

    def pgettext(self, context: str, message: str, /) -> str:
        """Translate a text with its message context (flow texts)."""
        ...

    def format_number(self, number: int, /) -> str:
        """Format a whole number for the locale."""
        ...

    def format_list(self, items: Sequence[str], /) -> str:
        """Join items the way the language does ("a, b en c")."""
        ...

    def isolate(self, text: str, /) -> str:
        """Wrap text of unknown direction so it cannot scramble a right-to-left sentence."""
        ...


class SchoolDirectory(Protocol):
    """Finds schools for a parent who arrived without a school link."""

    def search(self, query: str, limit: int) -> Sequence[SchoolMatch]:
        """Return the best matches for what the parent typed, best first."""
        ...

    def get(self, code: str) -> SchoolMatch | None:
        """Return the school with this code, if known."""
        ...
