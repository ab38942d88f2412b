"""Read the languages of an XLSForm's columns (`label::English (en)`) as language codes."""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.core import get_global

# XLSForm's recommended form: a name with the code in brackets, "English (en)".
_WITH_CODE: Final = re.compile(
    r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\)$"
)
# ISO 639's codes for "undetermined", "several", "no language", "not coded".
_NO_LANGUAGE: Final = frozenset({"und", "mul", "zxx", "mis"})
# What pyxform calls the language of columns without "::Language".
DEFAULT: Final = "default"


def column_language(header: str, field: str) -> str | None:
    """Return the language part of a header such as `label::English (en)`, `label` → default."""
    parts = header.split("::")
    if parts[0].strip().lower() != field:
        return None
    if len(parts) == 1:
        return DEFAULT
    return "::".join(parts[1:]).strip()


def language_code(language: str) -> str | None:
    """Return the Babel code of an XLSForm language ("English (en)", "english"), else None."""
    match = _WITH_CODE.match(language.strip())
    if match:
        return _known(match.group("code"))
    return _by_name().get(language.strip().lower())


def known_code(code: str) -> str | None:
    """Return a language code as Babel writes it (pt-br → pt_BR), None when Babel has none."""
    return _known(code)


def _known(code: str) -> str | None:
    parts = re.split(r"[-_]", code)
    normal = "_".join(
        [parts[0].lower(), *(p.upper() if len(p) == 2 else p.title() for p in parts[1:])]
    )
    try:
        Locale.parse(normal)
    except (UnknownLocaleError, ValueError):
        return None
    return normal


@cache
def _by_name() -> dict[str, str]:
    """Return language codes by their English and their own names, lower case."""
    english = Locale("en")
    names: dict[str, str] = {}
    for code, name in english.languages.items():
        if "_" not in code and _known(code) is not None:
            names.setdefault(name.lower(), code)
    return names


def language_of(written: str) -> str | None:
    """Return a RapidPro language (ISO 639-3: eng, spa, ara) as Babel's code (en, es, ar)."""
    if written.lower() in _NO_LANGUAGE:
        return None
    aliases = get_global("language_aliases")
    alias = aliases.get(written.lower())
    return known_code(str(alias) if alias is not None else written)
