"""Read the gettext catalogs in locales/ and turn them into translations for one language."""

from __future__ import annotations

import copy
import gettext
import logging
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n.entries import printable, unusable

log = logging.getLogger(__name__)

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


def unreadable(error: OSError | ValueError) -> str:
    """Say why a catalog could not be read, for a translator."""
    return "it is not saved as UTF-8" if isinstance(error, UnicodeError) else str(error)


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
    parent; so are entries that cannot be sent or filled in (each logged once, here).
    An untranslated text falls back to the Dutch source; so does every text of a
    catalog that cannot be read, rather than failing every parent of that language.
    """
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    try:
        catalog = read_catalog(locales_dir, language)
    except (OSError, ValueError) as error:
        path = po_path(locales_dir, language)
        log.warning("%s cannot be read (%s); parents of %s see Dutch", path, error, language)
        return gettext.NullTranslations()
    if catalog is None:
        return gettext.NullTranslations()
    for message, reason in broken_entries(catalog):
        where = f"{po_path(locales_dir, language)}:{message.lineno}"
        log.warning(
            "%s: msgid %s: %s; parents see the Dutch text", where, describe(message), reason
        )
    return usable_translations(catalog)


def usable_translations(catalog: Catalog) -> gettext.GNUTranslations:
    """Compile the entries of a catalog the bot can use (not fuzzy, not broken)."""
    broken = broken_entries(catalog)
    if broken:
        catalog = copy.deepcopy(catalog)
        for message, _ in broken:
            catalog.delete(message.id, context=message.context)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def broken_entries(catalog: Catalog) -> list[tuple[Message, str]]:
    """Return the translated entries the bot cannot use, each with why."""
    found = []
    for message in catalog:
        if message.id and is_translated(message):
            reason = unusable(message)
            if reason is not None:
                found.append((message, reason))
    return found


def describe(message: Message) -> str:
    """Return an entry's Dutch text, shortened and quoted, safe to print."""
    return describe_id(message.id)


def describe_id(msgid: object) -> str:
    """Return a msgid (its singular, for a plural entry) shortened and quoted, safe to print."""
    text = msgid[0] if isinstance(msgid, tuple) else str(msgid)
    text = text if len(text) <= 60 else text[:57] + "..."
    return printable(repr(text))
