"""Read the gettext catalogs in locales/ and turn them into translations for one language."""

from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

# One domain for the bot's own texts and the flow texts alike.
DOMAIN = "ouderbrug"
# Every text in flows and code is written in Dutch first.
SOURCE_LANGUAGE = "nl"


def template_path(locales_dir: Path) -> Path:
    """Return where the extracted template (.pot) lives."""
    return locales_dir / f"{DOMAIN}.pot"


def po_path(locales_dir: Path, language: str) -> Path:
    """Return where a language's catalog lives."""
    return locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(locales_dir: Path, language: str) -> Catalog | None:
    """Read a language's catalog, or None when it has none."""
    path = po_path(locales_dir, language)
    if not path.is_file():
        return None
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=language, domain=DOMAIN)


def is_translated(message: Message | None) -> bool:
    """Tell whether a catalog entry has a usable translation (present, filled in, not fuzzy)."""
    if message is None or message.fuzzy:
        return False
    if isinstance(message.string, tuple):
        return all(message.string)
    return bool(message.string)


def load_translations(locales_dir: Path, language: str) -> gettext.NullTranslations:
    """Return the translations of one language, compiled in memory from its catalog.

    Fuzzy entries are left out, so a machine-made or outdated guess never reaches a
    parent; an untranslated text falls back to the Dutch source.
    """
    catalog = None if language == SOURCE_LANGUAGE else read_catalog(locales_dir, language)
    if catalog is None:
        return gettext.NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
