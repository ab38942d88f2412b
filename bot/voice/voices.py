"""Voice notes for the texts parents are sent, made once and sent again by Telegram's id."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.voice.cache import VoiceCache, recording_key, speech_key
from bot.voice.library import Recordings
from bot.voice.speech import SpeechUnavailableError, Synthesizer

log = logging.getLogger(__name__)

# espeak-ng's voice for each language a parent can choose; the code itself otherwise.
VOICES: Mapping[str, str] = {"en": "en-gb", "nl": "nl", "ar": "ar", "tr": "tr", "pl": "pl"}


@dataclass(frozen=True, slots=True)
class Audio:
    """A voice note ready to send: by Telegram's file id when it has one, else its bytes."""

    key: str
    file_id: str | None = None
    data: bytes = b""


class Voices:
    """Finds or makes the voice note of a text in a language, once per text and voice."""

    def __init__(
        self, synthesizer: Synthesizer, cache_dir: Path, locales_dir: Path, *, parallel: int = 1
    ) -> None:
        self._synthesizer = synthesizer
        self._cache = VoiceCache(cache_dir)
        self._recordings = Recordings(locales_dir)
        # Synthesis takes a core while it runs; the event loop and the other parents keep
        # the rest (`parallel` at a time, in threads).
        self._slots = asyncio.Semaphore(parallel)
        self._making: dict[str, asyncio.Lock] = {}

    def problem(self) -> str | None:
        """Return why texts without a recording cannot be spoken here, or None."""
        return self._synthesizer.problem()

    async def audio(self, text: str, language: str, entry: str | None = None) -> Audio:
        """Return `entry`'s recording, else `text` spoken (SpeechUnavailableError: it cannot)."""
        found = self._recordings.find
        recording = await asyncio.to_thread(found, language, entry) if entry else None
        if recording is not None:
            return await asyncio.to_thread(self._recorded, recording)
        key = speech_key(text, VOICES.get(language, language))
        file_id = await asyncio.to_thread(self._cache.file_id, key)
        if file_id is not None:
            return Audio(key, file_id=file_id)
        # One task of this process makes a key; the file lock keeps out other processes.
        # (A lock per text and voice: a few thousand at most, so they are kept.)
        async with self._making.setdefault(key, asyncio.Lock()), self._slots:
            data = await asyncio.to_thread(self._spoken, key, text, language)
        return Audio(key, data=data)

    def remember(self, key: str, file_id: str) -> None:
        """Keep the file id Telegram gave an uploaded voice note, to send it again by id."""
        self._cache.store_file_id(key, file_id)

    def forget(self, key: str) -> None:
        """Drop a file id Telegram refused; the next send uploads the audio again."""
        self._cache.forget_file_id(key)

    def _recorded(self, path: Path) -> Audio:
        key = recording_key(path)
        file_id = self._cache.file_id(key)
        return Audio(key, file_id=file_id) if file_id else Audio(key, data=path.read_bytes())

    def _spoken(self, key: str, text: str, language: str) -> bytes:
        with self._cache.locked(key):
            data = self._cache.audio(key)
            if data is None:
                voice = VOICES.get(language, language)
                data = self._synthesizer.synthesize(text, voice)
                self._cache.store_audio(key, data)
                log.info("speech synthesized: %d bytes, voice %s", len(data), voice)
        return data


__all__ = ["Audio", "SpeechUnavailableError", "Voices"]
