"""Questions read aloud and voice-note answers, end to end: real bot, fake Bot API, espeak-ng."""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
import wave
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from mutagen.oggopus import OggOpus
from sqlalchemy import select

from bot.i18n.recordings import entries
from bot.settings import PROJECT_DIR
from bot.storage.db import make_engine, session_factory
from bot.storage.models import Response
from tests.e2e.harness import SCHOOLS, Parent, Settled, running_bot
from tests.fakes import FakeBotAPI
from tests.fakes.clock import FakeClock, amsterdam
from tests.fakes.state import SentMessage
from tests.fakes.updates import voice

STAFF = 7101
needs_speech = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("opusenc") is None,
    reason="espeak-ng and opus-tools are installed by .ci/run",
)


def recording(seconds: float = 0.4) -> bytes:
    """Return a short OGG/Opus file, as a coordinator's recording would be: a quiet tone."""
    frames = io.BytesIO()
    with wave.open(frames, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48000)
        tone = [int(3000 * ((i // 60) % 2 * 2 - 1)) for i in range(int(48000 * seconds))]
        out.writeframes(b"".join(v.to_bytes(2, "little", signed=True) for v in tone))
    done = subprocess.run(
        ["opusenc", "--quiet", "-", "-"], input=frames.getvalue(), capture_output=True, check=True
    )
    return done.stdout


def locales_with_dutch_recordings(tmp: Path) -> tuple[Path, bytes]:
    """Copy the catalogs and record every Dutch text under the name `i18n` gives it."""
    locales = tmp / "locales"
    shutil.copytree(PROJECT_DIR / "locales", locales)
    with (locales / "ouderbrug.pot").open("rb") as fileobj:
        template = read_po(fileobj)
    audio = locales / "nl" / "audio"
    audio.mkdir(parents=True)
    data = recording()
    for entry in entries(None, template, "nl"):
        (audio / entry.name).write_bytes(data)
    return locales, data


def opus_stream(data: bytes) -> tuple[int, float]:
    """Return the channels and seconds of an OGG/Opus file, read by mutagen (ValueError if not)."""
    info: Any = OggOpus(io.BytesIO(data)).info  # type: ignore[no-untyped-call]
    return int(info.channels), float(info.length)


def voice_notes(api: FakeBotAPI, chat_id: int) -> list[SentMessage]:
    return [m for m in api.messages(chat_id) if "voice" in m.payload]


def each_question_has_its_voice_note(api: FakeBotAPI, chat_id: int) -> int:
    """Check that every question after the picker is followed by a voice note; count them."""
    messages = api.messages(chat_id)
    questions = [i for i, m in enumerate(messages) if m.buttons and i > 1]
    for index in questions:
        assert "voice" in messages[index + 1].payload, api.dump()
    return len(questions)


async def walk(parent: Parent, school: str, language: str, labels: list[str]) -> None:
    await parent.send(f"/start {school}")
    await parent.press("🔊")
    await parent.press(language)
    for label in labels:
        await parent.press(label)


@needs_speech
def test_questions_are_read_aloud_from_recordings_and_else_by_espeak(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, tmp_path: Path
) -> None:
    locales, recorded = locales_with_dutch_recordings(tmp_path)
    environment = {**environment, "LOCALES_DIR": str(locales)}

    async def scenario() -> None:
        async with running_bot(environment):
            dutch = Parent(api, settled, 7201)
            await walk(dutch, "16AH00", "Nederlands", ["Ja, ik doe mee", "Groep 5"])
            polish = Parent(api, settled, 7202, "pl")
            await walk(polish, "16AH00", "Polski", [])
            await polish.send("/voice")  # off again: the next question comes as text only
            assert "/voice" in polish.last_text

    asyncio.run(scenario())
    assert each_question_has_its_voice_note(api, 7201) >= 3
    dutch_notes = [m.file for m in voice_notes(api, 7201) if m.file is not None]
    # The consent question's recording is sent; a text filled in per parent (the
    # school's name) matches no recording and is spoken by espeak-ng instead.
    assert dutch_notes[0].data == recorded
    polish_notes = voice_notes(api, 7202)
    assert polish_notes  # no recordings in Polish: every note is spoken by espeak-ng
    spoken = polish_notes[0].file
    assert spoken is not None
    channels, seconds = opus_stream(spoken.data)
    assert channels == 1
    assert 1.0 < seconds < 120.0


@needs_speech
def test_the_same_text_is_spoken_once_and_then_sent_by_telegrams_file_id(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            for user_id in (7211, 7212):
                await walk(Parent(api, settled, user_id), "16AH00", "Nederlands", [])

    asyncio.run(scenario())
    calls = api.calls_to("sendVoice")
    first = [c.params["voice"] for c in calls if c.params["chat_id"] == 7211]
    second = [c.params["voice"] for c in calls if c.params["chat_id"] == 7212]
    assert first
    assert not any(isinstance(voice, str) for voice in first)  # uploaded
    # The second parent gets the same notes by the ids the uploads got: nothing spoken again.
    assert second == [m.payload["voice"]["file_id"] for m in voice_notes(api, 7211)]
    cache = Path(environment["DATA_DIR"]) / "voice-cache"
    assert len(list(cache.rglob("*.ogg"))) == len(first)


def test_without_espeak_the_parent_is_told_and_no_voice_note_goes_out(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, tmp_path: Path
) -> None:
    environment = {**environment, "ESPEAK_PATH": str(tmp_path / "no-espeak-ng")}

    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 7221)
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            await parent.send("/voice")
            texts = parent.texts()
            assert any("alleen vragen voor die iemand heeft ingesproken" in t for t in texts)

    asyncio.run(scenario())
    assert voice_notes(api, 7221) == []


def test_a_voice_note_answer_reaches_the_digest_plays_for_staff_and_goes_with_delete(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    clock = FakeClock(amsterdam(2026, 12, 7, 15, 40))

    async def scenario() -> None:
        async with running_bot(environment, clock) as runtime:
            staff = Parent(api, settled, STAFF)
            await staff.send(f"/start staff-{SCHOOLS[0][3]}")
            parent = Parent(api, settled, 7231)
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            await parent.push(voice(parent.user))  # not a free-text question: refused
            assert parent.last_text.startswith("Ik kan alleen tekst")
            await parent.press("Ja, ik doe mee")
            for label in ("Groep 5", "Tablet", "Klaar", "Nee", "Goed", "Ja", "Overslaan"):
                await parent.press(label)
            note = voice(parent.user, duration=4)
            await parent.push(note)
            await parent.press("Via deze chat")
            await parent.press("Alles klopt, versturen")
            made = await asyncio.to_thread(runtime.system.digests.send_now, "16AH00")
            assert made is not None
            runtime.system.sender.submit(made.queued)
            await runtime.system.sender.idle()
            assert any("🔊 spraakbericht" in t for t in staff.texts())
            await staff.press("▶ Spraakbericht afspelen")
            await runtime.system.sender.idle()
            played = voice_notes(api, STAFF)
            assert [m.payload["voice"]["file_id"] for m in played] == [
                note["message"]["voice"]["file_id"]
            ]
            [copy] = played
            await parent.send("/delete")
            await parent.press("Ja, wis alles")
            deleted = await api.async_wait_for_call("deleteMessage", timeout=20)
            assert deleted.params == {"chat_id": STAFF, "message_id": copy.message_id}
            pressed = await staff.press("▶ Spraakbericht afspelen")
            assert await staff.answer_to(pressed) == "Dit spraakbericht is er niet (meer)."

    asyncio.run(scenario())
    assert voice_notes(api, STAFF) == []  # the played copy was deleted from the staff chat
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            assert db.scalars(select(Response)).all() == []
    finally:
        engine.dispose()


@needs_speech
def test_a_file_id_telegram_no_longer_takes_is_uploaded_again(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    cache = Path(environment["DATA_DIR"]) / "voice-cache"

    async def scenario() -> None:
        async with running_bot(environment):
            await walk(Parent(api, settled, 7241), "16AH00", "Nederlands", [])
            # As after a new bot token: the ids the old bot was given mean nothing now.
            for kept in cache.rglob("*.file_id"):
                kept.write_text("AwACidOfAnotherBotToken0000")
            await walk(Parent(api, settled, 7242), "16AH00", "Nederlands", [])

    asyncio.run(scenario())
    second = [c.params["voice"] for c in api.calls_to("sendVoice") if c.params["chat_id"] == 7242]
    assert len(voice_notes(api, 7242)) == len(voice_notes(api, 7241))
    assert "AwACidOfAnotherBotToken0000" in second  # tried, refused, then uploaded
    assert not isinstance(second[-1], str)
    assert {k.read_text() for k in cache.rglob("*.file_id")} != {"AwACidOfAnotherBotToken0000"}
