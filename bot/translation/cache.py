"""An in-process cache in front of a translator, by (source language, target language, text)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from bot.translation.ports import MachineTranslator, Translated


class CachedTranslator:
    """Answers a text seen recently from memory; the rest from the translator behind it."""

    def __init__(self, translator: MachineTranslator, size: int = 1024) -> None:
        self._translator = translator
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str, str], Translated] = OrderedDict()

    def translate(self, text: str, source: str, target: str) -> Translated:
        """Return the cached translation, or translate and remember it (failures are not kept)."""
        key = (source, target, text)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        translated = self._translator.translate(text, source, target)
        with self._lock:
            self._entries[key] = translated
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return translated

    def clear(self) -> None:
        """Forget everything: a newly installed package may translate better."""
        with self._lock:
            self._entries.clear()
