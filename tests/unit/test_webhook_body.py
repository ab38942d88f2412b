"""The webhook reads a request's body only up to its limit: a huge one costs no memory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, MutableMapping
from typing import Any, cast

from bot.telegram.app import UpdateHandler
from bot.telegram.webhook import MOST_BYTES, SECRET_HEADER, webhook_app

SECRET = "s" * 40
CHUNK = 64 * 1024


def endless_post(secret: str) -> tuple[dict[str, Any], list[int]]:
    """Return a POST's scope and a counter of the body chunks the app has read."""
    headers = [(SECRET_HEADER.lower().encode(), secret.encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/telegram",
        "raw_path": b"/telegram",
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8080),
    }
    return scope, [0]


def test_a_body_far_beyond_the_limit_is_refused_without_reading_it_all() -> None:
    async def lifespan() -> AsyncIterator[None]:
        yield

    async def healthy() -> bool:
        return True

    app = webhook_app(
        cast(UpdateHandler, object()), secret=SECRET, health=healthy, lifespan=lifespan
    )
    scope, read = endless_post(SECRET)
    # 256 MB, were it all read: as a sender that never stops would have it.
    chunks = 256 * 1024 * 1024 // CHUNK
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        read[0] += 1
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": read[0] < chunks}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert read[0] * CHUNK <= MOST_BYTES + CHUNK


def test_a_client_that_hangs_up_mid_body_is_no_traceback() -> None:
    async def lifespan() -> AsyncIterator[None]:
        yield

    async def healthy() -> bool:
        return True

    app = webhook_app(
        cast(UpdateHandler, object()), secret=SECRET, health=healthy, lifespan=lifespan
    )
    scope, read = endless_post(SECRET)

    async def receive() -> dict[str, Any]:
        read[0] += 1
        if read[0] == 1:
            return {"type": "http.request", "body": b'{"update_id": 1, ', "more_body": True}
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        pass

    # Telegram's connection dropped: nobody hears an answer, and nothing failed here.
    asyncio.run(app(scope, receive, send))
