"""One parent's language: gettext translations plus Babel formatting, handed to the engine."""

from __future__ import annotations

import gettext
import logging
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime
from babel.lists import format_list
from babel.numbers import format_decimal

from bot.i18n.catalogs import load_translations
from bot.i18n.languages import SUPPORTED, Language, language, supported, unknown_languages

log = logging.getLogger(__name__)

# Unicode first-strong isolate and pop directional isolate: they keep a Latin
# school name or a phone number from reordering the Arabic words around it.
_FSI, _PDI = "\u2068", "\u2069"


class LanguageCatalog:
    """Texts and formats for one language; cheap to share, built once per language."""

    def __init__(self, code: str, translations: gettext.NullTranslations) -> None:
        self._code = code
        self._translations = translations
        self._locale = Locale.parse(code)
        self.rtl = language(code).rtl
        # Progress and hints format the same few numbers over and over; Babel is slow at it.
        self._numbers: dict[int, str] = {}

    @property
    def language(self) -> str:
        """Return the language code."""
        return self._code

    def gettext(self, message: str, /) -> str:
        """Translate one of the bot's own texts."""
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        """Translate a text with a plural form."""
        return self._translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str, /) -> str:
        """Translate a text with its message context."""
        return self._translations.pgettext(context, message)

    def format_number(self, number: int, /) -> str:
        """Format a whole number for the locale."""
        formatted = self._numbers.get(number)
        if formatted is None:
            formatted = format_decimal(number, locale=self._locale)
            if len(self._numbers) < 1000:
                self._numbers[number] = formatted
        return formatted

    def format_datetime(self, moment: datetime, /) -> str:
        """Format a date and time for the locale, medium length."""
        return format_datetime(moment, format="medium", locale=self._locale)

    def format_list(self, items: Sequence[str], /) -> str:
        """Join items the way the language does ("a, b en c", "أ، وب")."""
        return format_list(list(items), locale=self._locale) if items else ""

    def isolate(self, text: str, /) -> str:
        """Wrap embedded text in a directional isolate when this language reads right to left."""
        return f"{_FSI}{text}{_PDI}" if self.rtl else text


class Localizers:
    """Builds each language's catalog once from the catalogs in a locales folder.

    `languages` are those parents are offered, in picker order (LANGUAGES in the settings;
    the launch languages when not given). Codes Babel does not know are left out, logged.
    """

    def __init__(self, locales_dir: Path, languages: Sequence[str] = SUPPORTED) -> None:
        self._locales_dir = locales_dir
        self._get = cache(self._build)
        for code in unknown_languages(languages):
            log.error("language %r is not known to Babel's CLDR data: it is not offered", code)
        bad = set(unknown_languages(languages))
        self.codes: tuple[str, ...] = tuple(c for c in dict.fromkeys(languages) if c not in bad)

    def offered(self) -> list[Language]:
        """Return the languages parents may pick, in picker order."""
        return supported(self.codes)

    def get(self, code: str) -> LanguageCatalog:
        """Return the catalog of a language."""
        return self._get(code)

    def _build(self, code: str) -> LanguageCatalog:
        return LanguageCatalog(code, load_translations(self._locales_dir, code))
