"""Webhook mode: Telegram posts updates with a secret header; the load balancer asks /healthz."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn

from bot.system.webapp import create_app
from tests.e2e.harness import Settled
from tests.fakes import FakeBotAPI, command, text_message, user

SECRET = "webhook-secret-of-the-end-to-end-tests_0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def webhook_server(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    """Serve `ouderbrug run --webhook`'s app in this loop; yield the URL Telegram posts to."""
    port = free_port()
    settings = {**environment, "WEBHOOK_SECRET": SECRET, "WEBHOOK_PORT": str(port)}
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    config = uvicorn.Config(
        create_app, factory=True, host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}/telegram"
    finally:
        server.should_exit = True
        await serving


async def post_raw(url: str, body: bytes) -> int:
    """POST a body as it is, with the right secret: what a forger who has it can send."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    async with httpx.AsyncClient() as client:
        return (await client.post(url, content=body, headers=headers)).status_code


def test_the_webhook_checks_its_secret_and_serves_parents(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> None:
        async with webhook_server(environment, monkeypatch) as url:
            async with httpx.AsyncClient() as client:
                health = await client.get(url.replace("/telegram", "/healthz"))
                assert health.status_code == 200
                assert health.json() == {"status": "ok"}
            update = command(user(1001, "Ouder", "tr"), "/start", "16AH00")
            update["update_id"] = 555
            assert await api.async_deliver_webhook(url, update, secret_token="wrong") == 403
            assert await api.async_deliver_webhook(url, update, secret_token="") == 403
            assert await api.async_deliver_webhook(url, update) == 403
            assert await api.async_deliver_webhook(url, update, secret_token=SECRET) == 200
            await settled.wait(555)
            assert api.last_message(1001).buttons[0]["text"] == "✓ Türkçe"
            # The same update again (Telegram retries on timeouts): answered, not repeated.
            before = len(api.messages(1001))
            assert await api.async_deliver_webhook(url, update, secret_token=SECRET) == 200
            await settled.wait(555)
            assert len(api.messages(1001)) == before

    asyncio.run(scenario())


def test_a_private_update_from_someone_else_than_the_chat_is_acknowledged_and_dropped(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A forger posing as a staff member (from) while naming their own chat would get the
    # school's families sent to them.
    staff, forger = user(1101, "Juf"), user(1102, "Forger")
    forged = text_message(staff, "/responses")
    forged["message"]["chat"] = {"id": forger["id"], "type": "private"}
    press = {
        "callback_query": {
            "id": "4382",
            "from": staff,
            "chat_instance": "1",
            "data": "lang:nl",
            "message": {"message_id": 1, "date": 1, "chat": {"id": 1102, "type": "private"}},
        }
    }

    async def scenario() -> None:
        async with webhook_server(environment, monkeypatch) as url:
            assert await api.async_deliver_webhook(url, forged, secret_token=SECRET) == 200
            assert await api.async_deliver_webhook(url, press, secret_token=SECRET) == 200
            # A real update behind them is served, and nothing went to either chat.
            real = command(user(1103, "Ouder"), "/start")
            assert await api.async_deliver_webhook(url, real, secret_token=SECRET) == 200
            await settled.wait(real["update_id"])

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    assert api.messages(1101) == []
    assert api.messages(1102) == []
    assert api.calls_to("answerCallbackQuery") == []
    assert not settled.done(forged["update_id"])  # never handled, so never recorded
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert [r.levelno for r in refused] == [logging.WARNING, logging.WARNING]


def _malformed() -> dict[str, Any]:
    """Updates with ids no Telegram update has, keyed by what is wrong with them."""
    base = command(user(1201, "Ouder"), "/start")
    base["update_id"] = 9_000_001
    base["message"]["message_id"] = 1

    def changed(path: str, value: Any) -> dict[str, Any]:
        update: dict[str, Any] = json.loads(json.dumps(base))
        *parents, last = path.split(".")
        target = update
        for key in parents:
            target = target[key]
        target[last] = value
        return update

    return {
        "update_id beyond 64 bits": changed("update_id", 2**64),
        "update_id a float": changed("update_id", 9_000_001.5),
        "update_id a string": changed("update_id", "9000001"),
        "update_id NaN": changed("update_id", math.nan),
        "user id beyond 64 bits": changed("message.from.id", 2**63),
        "user id huge": changed("message.from.id", 10**40),
        "user id infinite": changed("message.from.id", math.inf),
        "chat id beyond 64 bits": changed("message.chat.id", -(2**63) - 1),
        "chat id a string": changed("message.chat.id", "1201"),
        "no sender id": changed("message.from", {"first_name": "Ouder"}),
        "no update_id": {k: v for k, v in base.items() if k != "update_id"},
        "message not an object": changed("message", "hallo"),
    }


def test_updates_with_impossible_ids_get_400_and_the_bot_goes_on(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario() -> dict[str, int]:
        statuses = {}
        async with webhook_server(environment, monkeypatch) as url:
            for what, update in _malformed().items():
                # json.dumps writes NaN and Infinity as Python does; Telegram's parser would too.
                statuses[what] = await post_raw(url, json.dumps(update).encode())
            statuses["not JSON"] = await post_raw(url, b"{'update_id': 1")
            statuses["huge literal"] = await post_raw(url, b'{"update_id": 1' + b"0" * 5000 + b"}")
            statuses["deeply nested"] = await post_raw(url, b"[" * 100_000 + b"]" * 100_000)
            statuses["a list"] = await post_raw(url, b"[]")
            real = command(user(1202, "Ouder"), "/start")
            assert await api.async_deliver_webhook(url, real, secret_token=SECRET) == 200
            await settled.wait(real["update_id"])
        return statuses

    statuses = asyncio.run(scenario())
    assert {what: status for what, status in statuses.items() if status != 400} == {}
    assert api.messages(1201) == []


def test_forged_button_data_is_answered_once_and_never_holds_up_a_parent(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, monkeypatch: pytest.MonkeyPatch
) -> None:
    forger = user(1301, "Ouder")

    def press(data: str) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": f"press-{data}",
                "from": forger,
                "chat_instance": "1",
                "data": data,
                # A message the bot never sent: the forger makes up the whole press.
                "message": {
                    "message_id": 999_999,
                    "date": 1,
                    "chat": {"id": 1301, "type": "private"},
                },
            }
        }

    async def scenario() -> None:
        async with webhook_server(environment, monkeypatch) as url:
            huge = "9" * 30
            for data in (f"fu:c:{huge}:1", f"fu:h:1:{huge}", f"c:{huge}:x", f"del:yes:{huge}"):
                status = await api.async_deliver_webhook(url, press(data), secret_token=SECRET)
                assert status == 200, data
            real = command(user(1302, "Ouder"), "/start")
            assert await api.async_deliver_webhook(url, real, secret_token=SECRET) == 200
            await settled.wait(real["update_id"])

    asyncio.run(scenario())
    assert api.messages(1302)
