"""Recorded audio for catalog entries: `locales/<lang>/audio/<name>.ogg`, one per text.

A coordinator records a text as parents should hear it and saves it under the name this
module gives the entry: a few words of the Dutch text, for a person to recognise, and a
short hash of the entry (its context and Dutch text), so that two texts that start alike
never share a file and `i18n check` can tell which entry a file belongs to. A question's
recording reads its options too, with their numbers, as the synthesized voice would.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from bot.i18n.catalogs import SOURCE_LANGUAGE, is_translated

AUDIO_DIR = "audio"
SUFFIX = ".ogg"
_WORDS = 5
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Placeholders of flow texts ({school}) and of the bot's own (%(days)s).
_PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)")


def recording_name(msgid: str, context: str | None = None) -> str:
    """Return the file name a recording of this catalog entry has (without its folder)."""
    digest = hashlib.sha1(f"{context or ''}\x04{msgid}".encode(), usedforsecurity=False)
    ascii_text = unicodedata.normalize("NFKD", msgid).encode("ascii", "ignore").decode()
    words = _NOT_SLUG.sub(" ", ascii_text.lower()).split()[:_WORDS]
    slug = "-".join(words) or "tekst"
    return f"{slug}-{digest.hexdigest()[:8]}{SUFFIX}"


def audio_dir(locales_dir: Path, language: str) -> Path:
    """Return the folder that holds a language's recordings."""
    return locales_dir / language / AUDIO_DIR


@dataclass(frozen=True, slots=True)
class Entry:
    """One text a language can have a recording of: its file, and what is read in it."""

    name: str
    # The text as that language's parents read it (the Dutch text for Dutch).
    text: str
    msgid: str


def entries(catalog: Catalog | None, template: Catalog, language: str) -> Iterator[Entry]:
    """Yield every text of the flows that a recording can read, as `language` has it.

    Only flow texts are read aloud (questions and messages), and only those the same
    for every parent: one filled in per parent (`{school}`, `%(days)s`) is synthesized.
    """
    for message in template:
        if not message.id or isinstance(message.id, tuple):
            continue  # plural texts carry counts: they are always synthesized
        msgid = str(message.id)
        in_flows = any(Path(name).parts[:1] == ("flows",) for name, _ in message.locations)
        if not in_flows or _PLACEHOLDER.search(msgid):
            continue
        text = msgid
        if language != SOURCE_LANGUAGE:
            found = catalog.get(msgid, message.context) if catalog is not None else None
            if found is None or not is_translated(found):
                continue  # the parent hears the Dutch text; no recording of it in this language
            text = str(found.string)
        yield Entry(recording_name(msgid, message.context), text, msgid)


def recorded(locales_dir: Path, language: str, found: Iterator[Entry]) -> dict[str, Path]:
    """Return the recordings present for a language, by the text they read."""
    folder = audio_dir(locales_dir, language)
    if not folder.is_dir():
        return {}
    present = {path.name for path in folder.iterdir() if path.suffix == SUFFIX}
    return {entry.text: folder / entry.name for entry in found if entry.name in present}


def strays(locales_dir: Path, language: str, names: set[str]) -> list[str]:
    """Return recording files of a language that belong to no text (renamed or misspelt)."""
    folder = audio_dir(locales_dir, language)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.suffix == SUFFIX and p.name not in names)
