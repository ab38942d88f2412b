"""Where a voice note comes from: a coordinator's recording first, else synthesized speech."""

from __future__ import annotations

import logging
from pathlib import Path

from babel.messages.pofile import read_po

from bot.i18n.catalogs import DOMAIN, read_catalog, template_path
from bot.i18n.recordings import audio_dir, entries, recorded

log = logging.getLogger(__name__)


class Recordings:
    """The recordings of each language, by the text they read; looked at again when added."""

    def __init__(self, locales_dir: Path) -> None:
        self._locales_dir = locales_dir
        # language -> (the audio folder's mtime when read, text -> file)
        self._known: dict[str, tuple[int, dict[str, Path]]] = {}

    def find(self, language: str, text: str) -> Path | None:
        """Return the recording of exactly this text in this language, if there is one."""
        folder = audio_dir(self._locales_dir, language)
        try:
            stamp = folder.stat().st_mtime_ns
        except OSError:
            return None  # no recordings for this language
        known = self._known.get(language)
        if known is None or known[0] != stamp:
            known = (stamp, self._read(language))
            self._known[language] = known
        return known[1].get(text)

    def _read(self, language: str) -> dict[str, Path]:
        try:
            with template_path(self._locales_dir).open("rb") as fileobj:
                template = read_po(fileobj, domain=DOMAIN)
            catalog = read_catalog(self._locales_dir, language)
        except (OSError, ValueError) as error:
            log.warning("recordings of %s not read: %s", language, type(error).__name__)
            return {}
        return recorded(self._locales_dir, language, entries(catalog, template, language))
