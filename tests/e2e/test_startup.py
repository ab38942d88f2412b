"""`ouderbrug run` explains what keeps it from starting, without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.e2e.harness import bot_process
from tests.fakes import FakeBotAPI


def run_bot(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_a_wrong_token_is_named_as_such(api: FakeBotAPI, environment: dict[str, str]) -> None:
    result = run_bot({**environment, "TELEGRAM_BOT_TOKEN": "999:not-the-token"})
    assert result.returncode == 1
    assert "Telegram refused TELEGRAM_BOT_TOKEN" in result.stderr
    assert "not-the-token" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_an_unreachable_bot_api_is_named_as_such(environment: dict[str, str]) -> None:
    result = run_bot({**environment, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"})
    assert result.returncode == 1
    assert "Cannot reach the Telegram Bot API at 127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_token_run_prepares_the_database_and_shows_the_preview(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    environment.update({"DATA_DIR": str(tmp_path), "DATABASE_URL": ""})
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=environment,
        input="1\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert "TELEGRAM_BOT_TOKEN is not set, so here is the terminal preview" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "ouderbrug.sqlite3").exists()
    assert "1." in result.stdout  # the first question, with numbered options


def test_run_warns_when_mail_goes_out_from_an_undeliverable_address(
    environment: dict[str, str], tmp_path: Path
) -> None:
    mail = {"SMTP_URL": "smtp://127.0.0.1:9", "SMTP_FROM": "ouderbrug@localhost"}
    log = tmp_path / "bot.log"
    with bot_process({**environment, **mail}, log):
        deadline = time.monotonic() + 60
        while "Warning: SMTP_FROM" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    output = log.read_text()
    assert "Warning: SMTP_FROM 'ouderbrug@localhost' has no public mail domain" in output
    assert "Traceback" not in output


def test_run_says_nothing_of_the_sender_when_mail_is_off(
    api: FakeBotAPI, environment: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    with bot_process({**environment, "SMTP_FROM": "ouderbrug@localhost"}, log):
        deadline = time.monotonic() + 60
        # Polling has begun once the bot asked for updates: the warning would be out by then.
        while not any(c.method == "getUpdates" for c in api.calls):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    assert "SMTP_FROM" not in log.read_text()
