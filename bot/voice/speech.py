"""Speech synthesized on this machine: espeak-ng speaks, opusenc encodes OGG/Opus.

Both are Debian packages (`espeak-ng`, `opus-tools`), found at run time; neither is a
Python dependency, so the bot runs without them and says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Long enough for a question read with all its options; espeak speaks ~15 characters a
# second and returns in a fraction of that.
TIMEOUT_SECONDS = 60.0
# Speech, mono: 24 kbit/s is what Telegram's own voice notes use, and clear for speech.
BITRATE_KBITS = 24


class SpeechUnavailableError(Exception):
    """Speech cannot be synthesized here: a program is missing or failed."""


@dataclass(frozen=True, slots=True)
class Synthesizer:
    """Speaks a text in a voice and returns it as an OGG/Opus voice note."""

    espeak: str = "espeak-ng"
    opusenc: str = "opusenc"

    def problem(self) -> str | None:
        """Return why speech cannot be made here (which package to install), or None."""
        missing = [
            f"{program} (Debian package {package})"
            for program, package in ((self.espeak, "espeak-ng"), (self.opusenc, "opus-tools"))
            if _find(program) is None
        ]
        if not missing:
            return None
        return (
            f"speech synthesis is off: {' and '.join(missing)} not found; "
            "install with `apt-get install espeak-ng opus-tools`, or set ESPEAK_PATH/OPUSENC_PATH"
        )

    def synthesize(self, text: str, voice: str) -> bytes:
        """Return `text` spoken in `voice` as OGG/Opus (SpeechUnavailableError when it cannot)."""
        problem = self.problem()
        if problem is not None:
            raise SpeechUnavailableError(problem)
        espeak, opusenc = _find(self.espeak), _find(self.opusenc)
        assert espeak is not None
        assert opusenc is not None
        # The text goes in on stdin, never as an argument: it may start with "-".
        wav = _run([espeak, "-v", voice, "--stdin", "--stdout"], text.encode())
        return _run([opusenc, "--quiet", "--bitrate", str(BITRATE_KBITS), "-", "-"], wav)


def _find(program: str) -> str | None:
    """Return the program's path: as given when it is a path, else looked up on PATH."""
    if "/" in program:
        path = Path(program)
        return str(path) if path.is_file() else None
    return shutil.which(program)


def _run(command: list[str], given: bytes) -> bytes:
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program, its input on stdin
            command, input=given, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SpeechUnavailableError(
            f"{Path(command[0]).name} failed: {type(error).__name__}"
        ) from error
    if done.returncode != 0 or not done.stdout:
        why = done.stderr.decode(errors="replace").strip()[:200] or f"exit {done.returncode}"
        raise SpeechUnavailableError(f"{Path(command[0]).name} failed: {why}")
    return done.stdout
