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
]


# Who runs the bot and how long it keeps answers, as the consent question tells the parent.
INSTALLATION = {
    "ORGANISATION_NAME": "Gemeente Voorbeeld",
    "PRIVACY_URL": "https://voorbeeld.example/privacy",
    "RETENTION_DAYS": "90",
    "RETENTION_OPEN_DAYS": "365",
}


def run_chat(language: str, lines: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--lang", language, "--school", "16AH00"],
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
    stored = run_chat(language, ANSWERS).stdout.split("--- stored answers (completed) ---\n")[1]
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
    assert result.stdout.endswith("--- stored answers (declined) ---\n")


def test_input_ending_early_exits_non_zero() -> None:
    result = run_chat("nl", ["1"])
    assert result.returncode == 1
    assert "input ended before the end of the flow" in result.stdout


def test_switching_language_mid_flow_asks_the_same_question_again() -> None:
    result = run_chat("nl", ["1", "/lang en", "6", "/quit"])
    assert result.returncode == 0
    after_switch = result.stdout.split("> /lang en")[1]
    assert "Group" in after_switch.split("> 6")[0]
