"""Start a catalog with machine translations, for a translator to review.

Every entry filled here is marked fuzzy and carries a translator comment saying it is
machine-made; the bot never shows fuzzy entries (see load_translations in
bot/i18n/catalogs.py), so a parent sees the Dutch text until a person has checked and
confirmed the translation. It lives with the translation, not with the catalogs: the
catalogs sit below every room, the machine translator above them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import write_po

from bot.i18n import tools
from bot.i18n.catalogs import SOURCE_LANGUAGE, po_path, read_catalog, template_path
from bot.translation.placeholders import translate_preserving
from bot.translation.ports import MachineTranslator

COMMENT = "Machine-translated ({package}); review and remove the fuzzy mark to use it."


@dataclass
class Filled:
    """What machine-fill did to one catalog."""

    path: Path
    filled: int = 0
    packages: set[str] | None = None


def machine_fill(locales_dir: Path, language: str, translator: MachineTranslator) -> Filled:
    """Fill the empty entries of a language's catalog (created from the template if new)."""
    if read_catalog(locales_dir, language) is None and template_path(locales_dir).exists():
        tools.update(locales_dir, [language])
    catalog = read_catalog(locales_dir, language)
    if catalog is None:
        raise FileNotFoundError(f"no catalog for {language!r}: run `ouderbrug i18n extract`")
    result = Filled(po_path(locales_dir, language), packages=set())
    for message in catalog:
        if message.id and _empty(message):
            packages = _fill(message, catalog, language, translator)
            result.filled += 1
            result.packages = (result.packages or set()) | packages
    with result.path.open("wb") as fileobj:
        write_po(fileobj, catalog)
    return result


def _empty(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not any(strings)


def _fill(
    message: Message, catalog: Catalog, language: str, translator: MachineTranslator
) -> set[str]:
    used: set[str] = set()

    def translate(text: str) -> str:
        def once(piece: str) -> str:
            translated = translator.translate(piece, SOURCE_LANGUAGE, language)
            used.add(translated.package)
            return translated.text

        return translate_preserving(text, once)

    translate_fn: Callable[[str], str] = translate
    if isinstance(message.id, tuple):
        singular, plural = message.id[0], message.id[1]
        forms = catalog.num_plurals
        # Languages with one form use the plural text; others the singular first.
        sources = [plural] if forms == 1 else [singular] + [plural] * (forms - 1)
        message.string = tuple(translate_fn(text) for text in sources)
    else:
        message.string = translate_fn(str(message.id))
    message.flags.add("fuzzy")
    note = COMMENT.format(package=", ".join(sorted(used)) or "Argos Translate")
    message.user_comments = [*message.user_comments, note]
    return used
