"""What the rest of the bot needs from a machine translator, without knowing which one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Translated:
    """A translation and the package (or chain of packages) that made it."""

    text: str
    package: str


class MachineTranslator(Protocol):
    """Translates one text; raises a TranslationError when it cannot."""

    def translate(self, text: str, source: str, target: str) -> Translated:
        """Translate text from the source language into the target language."""
        ...
