"""The languages parents can choose, named in their own language by Babel's CLDR data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

# The launch languages, in the order the picker shows them: what parents are offered
# while the LANGUAGES setting is empty. A language is added there, with its catalog.
SUPPORTED = ("nl", "en", "ar", "tr", "pl", "uk")


@dataclass(frozen=True, slots=True)
class Language:
    """A language as a parent sees it in the picker."""

    code: str
    # The language's name in itself: العربية, Türkçe, Polski, Українська.
    native_name: str
    # The name in Dutch, for schools and coordinators.
    dutch_name: str
    rtl: bool


@cache
def language(code: str) -> Language:
    """Describe a language code (ValueError when Babel does not know it)."""
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError) as error:
        raise ValueError(f"unknown language code {code!r}") from error
    native = locale.get_display_name(locale) or code
    dutch = locale.get_display_name(Locale("nl")) or code
    return Language(
        code=code,
        native_name=_capitalized(native),
        dutch_name=dutch,
        rtl=locale.character_order == "right-to-left",
    )


def language_name(code: str) -> str:
    """Return a language's Dutch name, or the code itself when Babel does not know it."""
    try:
        return language(code).dutch_name
    except ValueError:
        return code


def supported(codes: Sequence[str] = SUPPORTED) -> list[Language]:
    """Return the languages of these codes (the launch languages by default) in picker order."""
    return [language(code) for code in codes]


def offered_codes(configured: Sequence[str]) -> tuple[str, ...]:
    """Return the languages parents are offered: the configured ones, else the launch ones."""
    return tuple(dict.fromkeys(configured)) if configured else SUPPORTED


def unknown_languages(codes: Sequence[str]) -> list[str]:
    """Return the codes Babel's CLDR data does not know (no name, no direction to show)."""
    unknown = []
    for code in codes:
        try:
            language(code)
        except ValueError:
            unknown.append(code)
    return unknown


def best_match(reported: str | None, offered: tuple[str, ...] = SUPPORTED) -> str | None:
    """Return the offered language matching what a client reports ('pt-br', 'uk', 'ar_EG')."""
    if not reported:
        return None
    base = reported.replace("_", "-").split("-")[0].lower()
    return base if base in offered else None


def _capitalized(name: str) -> str:
    # CLDR writes some names in lower case (polski, українська); a picker shows them capitalised.
    return name[:1].upper() + name[1:]
