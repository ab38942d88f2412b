"""The pure core of a broadcast: which families it reaches, and what each one reads.

No I/O: the translator is handed in (it translates each language once), the families come
from storage; the caller queues what this returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.broadcasts.texts import FROM_SCHOOL, FROM_SCHOOL_TRANSLATED, FROM_SCHOOL_UNTRANSLATED
from bot.engine.ports import Localizer

# Translate (text, source, target) or return None when no package covers the pair.
Translate = Callable[[str, str, str], "str | None"]
# Which needs a family's answers show (bot.digests.needs.needs_of, with its flow found).
Needs = Callable[[str, Mapping[str, Any]], frozenset[str]]


@dataclass(frozen=True, slots=True)
class Version:
    """The school's text in one family language: translated, or as written."""

    language: str
    text: str
    translated: bool


class UnknownNeedError(ValueError):
    """A need key that no flow answer shows; names the keys there are."""

    def __init__(self, need: str, known: Iterable[str]) -> None:
        self.need = need
        self.known = tuple(known)
        super().__init__(f"unknown need {need!r}; known needs: {', '.join(self.known)}")


def wanted(
    responses: Iterable[tuple[str, Mapping[str, Any]]], need: str | None, needs: Needs
) -> bool:
    """Tell whether a family is meant: every family, or one child's answers show the need."""
    return need is None or any(need in needs(flow, answers) for flow, answers in responses)


def versions(
    text: str, source: str, languages: Iterable[str], translate: Translate
) -> dict[str, Version]:
    """Return the text in each language, translated once per language."""
    found: dict[str, Version] = {}
    for language in dict.fromkeys(languages):
        if language == source:
            found[language] = Version(language, text, translated=True)
            continue
        translation = translate(text, source, language)
        if translation is None:
            found[language] = Version(language, text, translated=False)
        else:
            found[language] = Version(language, translation, translated=True)
    return found


def message(version: Version, source: str, school: str, texts: Localizer) -> str:
    """Return what a family reads: who writes, whether it is translated, then the text."""
    if version.language == source:
        header = texts.gettext(FROM_SCHOOL)
    elif version.translated:
        header = texts.gettext(FROM_SCHOOL_TRANSLATED)
    else:
        header = texts.gettext(FROM_SCHOOL_UNTRANSLATED)
    return f"{header % {'school': texts.isolate(school)}}\n\n{version.text}"
