"""The dashboard is served by `run --webhook` beside /telegram, and by `ouderbrug dashboard`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_webhook import webhook_server
from tests.fakes import FakeBotAPI
from tests.fakes.test_bot_api import free_port

NOT_SIGNED_IN = "Stuur /dashboard aan de bot"


def test_the_webhook_server_serves_the_dashboard_beside_telegram(
    api: FakeBotAPI, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        async with webhook_server(environment, monkeypatch) as url:
            base = url.removesuffix("/telegram")
            async with httpx.AsyncClient() as client:
                page = await client.get(f"{base}/dashboard/")
                style = await client.get(f"{base}/dashboard/static/dashboard.css")
            assert page.status_code == 401
            assert NOT_SIGNED_IN in page.text
            assert "script-src 'none'" in page.headers["content-security-policy"]
            assert style.status_code == 200

    asyncio.run(scenario())


def test_ouderbrug_dashboard_serves_it_alone(environment: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "dashboard.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "dashboard", "--port", str(port)],
            env={**os.environ, **environment},
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
    try:
        page = None
        deadline = time.monotonic() + 30
        while page is None and time.monotonic() < deadline:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True, timeout=5)
            except httpx.TransportError:
                time.sleep(0.2)
        assert page is not None, log.read_text()
        assert page.status_code == 401
        assert NOT_SIGNED_IN in page.text
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert f"http://127.0.0.1:{port}/dashboard/" in log.read_text()
