"""Webhook mode: Telegram posts updates with a secret header; the load balancer asks /healthz."""

from __future__ import annotations

import asyncio
import os
import socket

import httpx
import uvicorn

from bot.webapp import create_app
from tests.e2e.harness import Settled
from tests.fakes import FakeBotAPI, command, user


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_webhook_checks_its_secret_and_serves_parents(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, monkeypatch: object
) -> None:
    port = free_port()
    settings = {**environment, "WEBHOOK_SECRET": "s3cret-Token_1", "WEBHOOK_PORT": str(port)}
    for key, value in settings.items():
        monkeypatch.setenv(key, value)  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{port}/telegram"

    async def scenario() -> None:
        config = uvicorn.Config(
            create_app, factory=True, host="127.0.0.1", port=port, log_level="warning"
        )
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        try:
            while not server.started:
                await asyncio.sleep(0.02)
            async with httpx.AsyncClient() as client:
                health = await client.get(f"http://127.0.0.1:{port}/healthz")
                assert health.status_code == 200
                assert health.json() == {"status": "ok"}
            update = command(user(1001, "Ouder", "tr"), "/start", "16AH00")
            update["update_id"] = 555
            assert await api.async_deliver_webhook(url, update, secret_token="wrong") == 403
            assert await api.async_deliver_webhook(url, update) == 403
            assert (
                await api.async_deliver_webhook(url, update, secret_token="s3cret-Token_1") == 200
            )
            await settled.wait(555)
            assert api.last_message(1001).buttons[0]["text"] == "✓ Türkçe"
            # The same update again (Telegram retries on timeouts): answered, not repeated.
            before = len(api.messages(1001))
            assert (
                await api.async_deliver_webhook(url, update, secret_token="s3cret-Token_1") == 200
            )
            await settled.wait(555)
            assert len(api.messages(1001)) == before
        finally:
            server.should_exit = True
            await serving

    asyncio.run(scenario())
    assert os.environ.get("WEBHOOK_SECRET") == "s3cret-Token_1"
