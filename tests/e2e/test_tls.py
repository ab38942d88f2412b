"""Telegram's Bot API is HTTPS: the bot talks TLS to it and checks whose certificate it is."""

from __future__ import annotations

import asyncio
import os
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.e2e.harness import Parent, Settled, bot_environment, bot_process, seed_schools
from tests.fakes import FakeBotAPI

# Where OpenSSL (and so aiohttp's default context) looks for the authorities it trusts.
TRUST = ("SSL_CERT_FILE", "SSL_CERT_DIR")


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def https_api(authority: trustme.CA) -> Iterator[FakeBotAPI]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with FakeBotAPI(tls=context) as fake:
        yield fake


def test_a_parent_is_served_over_https(
    https_api: FakeBotAPI, authority: trustme.CA, database_url: str, tmp_path: Path
) -> None:
    trusted = tmp_path / "authority.pem"
    authority.cert_pem.write_to_path(str(trusted))
    seed_schools(database_url)
    environment = {
        **bot_environment(https_api, database_url, tmp_path),
        "SSL_CERT_FILE": str(trusted),
    }
    assert environment["TELEGRAM_API_BASE_URL"].startswith("https://")
    settled = Settled(database_url)
    parent = Parent(https_api, settled, 1101)

    async def walk() -> None:
        await parent.send("/start 16AH00")
        await parent.press("Nederlands")
        await parent.press("Ja, ik doe mee")

    try:
        with bot_process(environment, tmp_path / "bot.log"):
            asyncio.run(walk())
    finally:
        settled.close()
    assert "groep" in parent.last_text.lower()  # the question after consent, over TLS
    assert "Traceback" not in (tmp_path / "bot.log").read_text(encoding="utf-8")


def test_a_bot_api_whose_certificate_nobody_vouches_for_is_refused(
    https_api: FakeBotAPI, database_url: str, tmp_path: Path
) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in TRUST}
    environment.update(bot_environment(https_api, database_url, tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"Cannot reach the Telegram Bot API at 127.0.0.1:{https_api.port}" in result.stderr
    assert "certificate verify failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert not https_api.calls  # not one request got through
