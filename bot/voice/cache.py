"""Voice notes kept on disk, by what they say and in which voice, with Telegram's file id.

Every process of the bot (workers share the data folder) takes a file lock on a key
before it makes that key's audio, and looks again once it holds it: a text is spoken
once, however many parents are sent it at the same moment.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def speech_key(text: str, voice: str) -> str:
    """Return the cache key of a text spoken in a voice."""
    return "s" + hashlib.sha256(f"{voice}\x00{text}".encode()).hexdigest()[:40]


def recording_key(path: Path) -> str:
    """Return the cache key of a recording file as it is now (a new version, a new key)."""
    stat = path.stat()
    seen = f"{path.resolve()}\x00{stat.st_size}\x00{stat.st_mtime_ns}"
    return "r" + hashlib.sha256(seen.encode()).hexdigest()[:40]


class VoiceCache:
    """Audio and Telegram file ids under one folder, one pair of files per key."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def audio(self, key: str) -> bytes | None:
        """Return the stored audio of a key, if it was made before."""
        try:
            return self._path(key, ".ogg").read_bytes()
        except FileNotFoundError:
            return None

    def store_audio(self, key: str, data: bytes) -> None:
        """Keep a key's audio; written whole or not at all."""
        self._write(self._path(key, ".ogg"), data)

    def file_id(self, key: str) -> str | None:
        """Return the file id Telegram gave this audio when it was first uploaded."""
        try:
            return self._path(key, ".file_id").read_text(encoding="ascii").strip() or None
        except (FileNotFoundError, UnicodeDecodeError):
            return None

    def store_file_id(self, key: str, file_id: str) -> None:
        """Remember Telegram's file id for the audio of a key, to send it again by id."""
        self._write(self._path(key, ".file_id"), file_id.encode("ascii", "ignore"))

    def forget_file_id(self, key: str) -> None:
        """Drop a file id Telegram no longer takes (another bot token, say)."""
        with contextlib.suppress(FileNotFoundError):
            self._path(key, ".file_id").unlink()

    @contextlib.contextmanager
    def locked(self, key: str) -> Iterator[None]:
        """Hold the key's lock, across threads and processes, while its audio is made."""
        path = self._path(key, ".lock")
        with path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _path(self, key: str, suffix: str) -> Path:
        folder = self._folder / key[1:3]
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{key}{suffix}"

    def _write(self, path: Path, data: bytes) -> None:
        # A reader never sees half a file: written beside it, then renamed over it.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as fileobj:
                fileobj.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
