"""Voice notes: spoken once per text and voice (also by many at once), recordings first."""

from __future__ import annotations

import asyncio
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n.recordings import entries, recording_name
from bot.i18n.tools import check, format_check
from bot.settings import PROJECT_DIR
from bot.voice.speech import SpeechUnavailableError, Synthesizer
from bot.voice.voices import Voices

OGG = b"OggS\x00\x02" + bytes(22) + b"OpusHead" + bytes(20)


@dataclass(frozen=True)
class CountingSynthesizer(Synthesizer):
    """Stands in for espeak-ng: slow enough for calls to overlap, and counts them."""

    spoken: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def problem(self) -> str | None:
        return None

    def synthesize(self, text: str, voice: str) -> bytes:
        with self.lock:
            self.spoken.append((text, voice))
        threading.Event().wait(0.05)
        return OGG + f"{voice}:{text}".encode()


def test_a_missing_espeak_names_the_package_and_the_setting(tmp_path: Path) -> None:
    speech = Synthesizer(espeak=str(tmp_path / "espeak-ng"))

    problem = speech.problem()

    assert problem is not None
    assert "espeak-ng" in problem
    assert "ESPEAK_PATH" in problem
    with pytest.raises(SpeechUnavailableError, match="apt-get install espeak-ng"):
        speech.synthesize("Hallo", "nl")


def test_the_same_text_asked_by_many_parents_at_once_is_spoken_once(tmp_path: Path) -> None:
    speech = CountingSynthesizer()
    # Two processes of the bot sharing one data folder: each its own Voices.
    workers = [Voices(speech, tmp_path / "cache", tmp_path / "locales") for _ in range(2)]

    async def many() -> list[bytes]:
        asks = [workers[i % 2].audio("Heeft uw kind een laptop?", "nl") for i in range(12)]
        other = workers[0].audio("Heeft uw kind een laptop?", "tr")
        return [audio.data for audio in await asyncio.gather(*asks, other)]

    made = asyncio.run(many())

    question = "Heeft uw kind een laptop?"
    assert sorted(speech.spoken) == [(question, "nl"), (question, "tr")]
    assert len(set(made)) == 2


def test_a_file_id_telegram_gave_is_used_until_it_is_refused(tmp_path: Path) -> None:
    voices = Voices(CountingSynthesizer(), tmp_path / "cache", tmp_path / "locales")
    first = asyncio.run(voices.audio("Dank u wel.", "pl"))
    voices.remember(first.key, "AwACfileid1234567890")

    again = asyncio.run(voices.audio("Dank u wel.", "pl"))
    voices.forget(again.key)
    after = asyncio.run(voices.audio("Dank u wel.", "pl"))

    assert (first.file_id, again.file_id, after.file_id) == (None, "AwACfileid1234567890", None)
    assert after.data == first.data


def test_a_coordinator_s_recording_is_sent_instead_of_speech(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_DIR / "locales", locales)
    with (locales / "ouderbrug.pot").open("rb") as fileobj:
        template = read_po(fileobj)
    entry = next(iter(entries(None, template, "nl")))
    (locales / "nl" / "audio").mkdir(parents=True)
    (locales / "nl" / "audio" / entry.name).write_bytes(OGG + b"recorded")
    speech = CountingSynthesizer()
    voices = Voices(speech, tmp_path / "cache", locales)

    audio = asyncio.run(voices.audio(entry.text + "\n1. Ja.", "nl", entry=entry.text))

    assert audio.data == OGG + b"recorded"
    assert speech.spoken == []


def test_i18n_check_counts_each_language_s_recordings_and_names_strays(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_DIR / "locales", locales)
    with (locales / "ouderbrug.pot").open("rb") as fileobj:
        template = read_po(fileobj)
    from bot.i18n.catalogs import read_catalog

    turkish = list(entries(read_catalog(locales, "tr"), template, "tr"))
    audio = locales / "tr" / "audio"
    audio.mkdir()
    for entry in turkish[:3]:
        (audio / entry.name).write_bytes(OGG)
    (audio / "een-oude-vraag-00000000.ogg").write_bytes(OGG)

    report = {r.code: r for r in check(locales, ["nl", "tr"])}
    shown = format_check(list(report.values()), {"nl", "tr"})

    assert (report["tr"].recorded, report["tr"].recordable) == (3, len(turkish))
    assert report["nl"].recorded == 0
    assert f"recorded 3/{len(turkish)}" in shown
    assert "recording for no text: een-oude-vraag-00000000.ogg" in shown


def test_recording_names_are_readable_stable_and_distinct() -> None:
    name = recording_name("Heeft uw kind thuis een laptop of computer?")

    assert name.startswith("heeft-uw-kind-thuis-een-")
    assert name.endswith(".ogg")
    assert name == recording_name("Heeft uw kind thuis een laptop of computer?")
    assert name != recording_name("Heeft uw kind thuis een laptop of tablet?")
    assert name != recording_name("Heeft uw kind thuis een laptop of computer?", "context")
    assert recording_name("هل لدى طفلكم حاسوب؟").startswith("tekst-")


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng: see .ci/run")
def test_espeak_speaks_each_launch_language_as_ogg_opus() -> None:
    from tests.e2e.test_voice import opus_stream

    speech = Synthesizer()
    for voice, text in (("nl", "Heeft uw kind een laptop?"), ("ar", "هل لدى طفلكم حاسوب؟")):
        channels, seconds = opus_stream(speech.synthesize(text, voice))
        assert channels == 1
        assert 0.8 < seconds < 10
