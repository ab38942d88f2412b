"""`ouderbrug run` explains what keeps it from starting, without a traceback."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.system.webapp import create_app
from bot.telegram.webhook import webhook_app
from tests.e2e.harness import Parent, Settled, bot_process
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


def test_the_webhook_will_not_start_with_an_empty_secret(
    api: FakeBotAPI, environment: dict[str, str]
) -> None:
    # As .env.example ships it: an empty secret would let any request through.
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--webhook"],
        env={**os.environ, **environment, "WEBHOOK_SECRET": ""},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert "WEBHOOK_SECRET is not set" in result.stderr
    assert "secrets.token_urlsafe(32)" in result.stderr
    assert "Traceback" not in result.stderr
    assert api.calls == []  # refused before anything reached Telegram


def test_the_webhook_factory_refuses_a_short_secret_too(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # uvicorn may be pointed at the factory directly, without `ouderbrug run`.
    for key, value in {**environment, "WEBHOOK_SECRET": "s3cret"}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SystemExit, match="too short"):
        create_app()


def test_the_webhook_app_never_serves_without_a_strong_secret() -> None:
    async def health() -> bool:
        return True

    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        webhook_app(None, secret="", health=health, lifespan=None)  # type: ignore[arg-type]


# What libraries say at INFO about their own machinery: nothing an operator acts on.
NOISE = (
    "setup plugin",
    "Context impl",
    "Will assume non-transactional DDL",
    "Adding job tentatively",
    "Added job",
    "Running job",
    "executed successfully",
    "Application started",
    "Application.stop() complete",
)


def test_a_real_start_logs_one_line_per_event(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    with bot_process(environment, log) as process:
        asyncio.run(Parent(api, settled, 861).send("/start"))
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    assert api.pending_update_ids() == []  # what was settled is confirmed at stop
    lines = [line.split(" ", 2)[-1] for line in log.read_text(encoding="utf-8").splitlines()]
    assert [line for line in lines if any(noise in line for noise in NOISE)] == []
    assert any("flows loaded" in line for line in lines)
    assert any("polling Telegram" in line for line in lines)
    assert any("polling stopped" in line for line in lines)
    assert len(lines) == len(set(lines)), "\n".join(lines)  # nothing said twice
    assert "Traceback" not in log.read_text(encoding="utf-8")
