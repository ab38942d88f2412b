"""Golden transcripts: the default flow walked through `ouderbrug chat` in every language.

Regenerate after a deliberate change of texts with:
    UPDATE_GOLDEN=1 pytest tests/integration/test_chat_golden.py
and read the diff before committing it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.i18n.languages import SUPPORTED

GOLDEN = Path(__file__).parent.parent / "golden"

# One parent's way through the default flow, touching every kind of answer, a
# wrong input, back, skip and a change from the summary.
ANSWERS = [
    "1",  # consent: yes
    "15",  # not a group: rejected, asked again
    "6",  # groep 6
    "1 2",  # laptop and tablet
    "1",  # shared: yes
    "/back",  # back to 'shared'
    "/back",  # back to the devices, with laptop and tablet still ticked
    "2",  # only the tablet
    "2",  # not shared
    "3",  # only mobile data
    "2",  # nobody can help
    "1,2",  # language and time
    "1 3",  # loan a device, paper packages
    "/skip",  # no remark
    "1",  # call me
    "12345",  # not a phone number
    "06 12345678",
    "1",  # call soon: yes
    "5",  # change the internet answer (the summary's 5th option)
    "4",  # no internet
    "1",  # confirm
    "2",  # "another child?" (at another school: no school is known here): no
    "/help",
]


# Who runs the bot and how long it keeps answers, as the consent question tells the parent.
INSTALLATION = {
    "ORGANISATION_NAME": "Gemeente Voorbeeld",
    "PRIVACY_URL": "https://voorbeeld.example/privacy",
    "RETENTION_DAYS": "90",
    "RETENTION_OPEN_DAYS": "365",
}


def run_chat(
    language: str | None, lines: list[str], *more: str
) -> subprocess.CompletedProcess[str]:
    chosen = ["--lang", language] if language else []
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *chosen, "--school", "16AH00", *more],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **INSTALLATION},
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_default_flow_reads_as_recorded(language: str) -> None:
    result = run_chat(language, ANSWERS)
    assert result.returncode == 0, result.stderr
    golden = GOLDEN / f"chat_{language}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_stored_answers_are_the_same_keys_in_every_language(language: str) -> None:
    stored = run_chat(language, ANSWERS).stdout.split("--- stored answers (child 1) ---\n")[1]
    assert stored.splitlines() == [
        "consent: yes",
        "school: 16AH00",
        "grade: groep_6",
        "devices: [tablet]",
        "device_shared: no",
        "internet: none",
        "help_at_home: no",
        "help_barrier: [language, time]",
        "help_wanted: [device_loan, paper_packages]",
        "remarks: (skipped)",
        "contact: phone",
        "phone: +31612345678",
        "call_soon: yes",
    ]


def test_declining_prints_nothing_stored_and_exits_zero() -> None:
    result = run_chat("en", ["2"])
    assert result.returncode == 0
    assert result.stdout.endswith("--- nothing stored ---\n")


def test_input_ending_early_exits_non_zero() -> None:
    result = run_chat("nl", ["1"])
    assert result.returncode == 1
    assert "input ended before the end of the flow" in result.stdout


def test_switching_language_mid_flow_asks_the_same_question_again() -> None:
    result = run_chat("nl", ["1", "/lang en", "6", "/quit"])
    assert result.returncode == 0
    after_switch = result.stdout.split("> /lang en")[1]
    assert "Group" in after_switch.split("> 6")[0]


def test_the_preview_shows_the_picker_and_the_question_after_it_as_telegram_does() -> None:
    result = run_chat(None, ["3", "/help", "/quit"])
    assert result.returncode == 0
    picker, after = result.stdout.split("> 3\n")
    assert "Kies uw taal.\nChoose your language.\n" in picker
    assert "  3. العربية\n" in picker
    assert "السؤال 1 من 12" in after
    assert "Vraag" not in after
    assert "/back" in after.split("> /help")[1]  # /help in Arabic lists the commands


def test_arabic_reads_without_direction_marks_or_event_names() -> None:
    text = run_chat("ar", ANSWERS).stdout
    marks = {"\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"}
    assert not marks & set(text)
    assert "Gemeente Voorbeeld" in text
    assert "[Flow" not in text
    assert "Completed" not in text


def test_another_child_starts_its_questions_again_in_the_preview() -> None:
    # The preview knows no schools here, so the offer is another school or none.
    result = run_chat("nl", [*ANSWERS[:-2], "1", "/quit"])
    assert result.returncode == 0
    offer = result.stdout.split("Heeft u nog een kind op school?")[1]
    assert "  1. Nog een kind op een andere school\n" in offer
    assert "Vraag 1 van" in offer
    assert "Op welke school zit uw kind?" in offer


def test_a_flow_is_previewed_by_its_id(tmp_path: Path) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "laptops.yaml").write_text(
        "id: laptops\nversion: 1\ntitle: Laptops lenen\nlanguages: [nl]\nsteps:\n"
        "  - id: laptop\n    kind: yesno\n    text: Heeft uw kind een laptop nodig?\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FLOWS_DIR": str(flows), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--flow", "laptops", "--lang", "nl"],
        input="1\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Heeft uw kind een laptop nodig?" in result.stdout
    assert "laptop: yes" in result.stdout


def test_status_in_the_preview_shows_what_is_stored_and_the_change_button() -> None:
    # Not a golden transcript: /status names the time of sending.
    result = run_chat("nl", [*ANSWERS[:-1], "/status"])
    assert result.returncode == 0
    status = result.stdout.split("> /status")[1]
    assert "Kind 1: " in status
    assert "• Internet: Geen internet" in status
    assert "  1. Antwoorden kind 1 veranderen" in status
