"""The webhook server: Starlette owns HTTP, PTB stays the transport (as in PTB's own example).

Telegram delivers an update again until it gets a 2xx answer. So: 200 once an update is
stored, dropped or not for us; 400 for what no retry can make readable; 500 only while
the database is busy, so that Telegram tries again later.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.messages.incoming import Incoming
from bot.settings import WEBHOOK_SECRET
from bot.storage.errors import is_transient
from bot.telegram.app import UpdateHandler
from bot.telegram.ordering import PerUserOrder
from bot.telegram.updates import Ignored, UnreadableUpdateError, read_update, update_id_of

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
PATH = "/telegram"
# Far above any update Telegram sends (a message holds at most 4096 characters).
MOST_BYTES = 1 << 20


def webhook_app(
    handler: UpdateHandler,
    *,
    secret: str,
    health: Callable[[], Awaitable[bool]],
    lifespan: Callable[[], AsyncIterator[None]],
    beside: Sequence[BaseRoute] = (),
) -> Starlette:
    """Return the ASGI app: POST /telegram for updates, GET /healthz for the load balancer,
    and what is served `beside` them (the dashboard)."""
    if not WEBHOOK_SECRET.fullmatch(secret):
        # An empty secret would match a request without the header: refuse to serve.
        raise ValueError("the webhook needs a strong WEBHOOK_SECRET")
    updates = Updates(handler, secret.encode())

    async def healthz(_request: Request) -> Response:
        ok = await health()
        return JSONResponse(
            {"status": "ok" if ok else "unavailable"}, status_code=200 if ok else 503
        )

    @asynccontextmanager
    async def span(_app: Starlette) -> AsyncIterator[None]:
        async for _ in lifespan():
            yield

    return Starlette(
        routes=[
            Route(PATH, updates.answer, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            *beside,
        ],
        lifespan=span,
    )


class Updates:
    """The endpoint Telegram posts updates to: checks, reads, applies and answers each."""

    def __init__(self, handler: UpdateHandler, secret: bytes) -> None:
        self._handler = handler
        self._secret = secret
        # A person's updates are applied in the order they arrive, never side by side.
        self._order = PerUserOrder()

    async def answer(self, request: Request) -> Response:
        """Answer one webhook request."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret):
            return PlainTextResponse("forbidden", status_code=403)
        update = await _update_in(request)
        if isinstance(update, Response):
            return update
        try:
            arrived = read_update(update)
        except UnreadableUpdateError as error:
            log.warning("update %s unreadable: %s", update_id_of(update), error)
            return PlainTextResponse("not an update", status_code=400)
        if isinstance(arrived, Ignored):
            if arrived.forged:
                log.warning("update %s refused: %s", update_id_of(update), arrived.reason)
            return _answered(arrived.callback_id, "")
        return await self._apply(arrived)

    async def _apply(self, arrived: Incoming) -> Response:
        """Apply the update; the answer tells Telegram whether to deliver it again."""
        try:
            popup = await self._order.run(arrived.user_id, self._handler(arrived))
        except Exception as error:
            if is_transient(error):
                # Not stored: answer 500 so Telegram delivers the update again later.
                log.warning("update %s not stored: %s", arrived.update_id, type(error).__name__)
                return PlainTextResponse("try again", status_code=500)
            # Delivering it again would fail the same way.
            log.warning("update %s dropped: %s", arrived.update_id, type(error).__name__)
            return Response(status_code=200)
        if popup is None:
            return Response(status_code=200)
        return _answered(popup.callback_id, popup.text)


async def _update_in(request: Request) -> object | Response:
    """Return the request's JSON, or the answer to a request that holds none."""
    try:
        body = await _body_within(request, MOST_BYTES)
    except ClientDisconnect:  # gone before the whole update arrived; Telegram sends it again
        return PlainTextResponse("incomplete", status_code=400)
    if body is None:
        return PlainTextResponse("too large", status_code=413)
    try:
        update: object = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested beyond reason
        log.warning("a webhook request was not JSON")
        return PlainTextResponse("not an update", status_code=400)
    return update


async def _body_within(request: Request, most: int) -> bytes | None:
    """Return the request's body, or None as soon as it grows beyond `most` bytes."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > most:
            return None
    return bytes(body)


def _answered(callback_id: str | None, text: str) -> Response:
    """Acknowledge the update; answer its button press inside the acknowledgement."""
    if callback_id is None:
        return Response(status_code=200)
    # Telegram carries out one method given in the webhook's answer: no request of ours.
    answer = {"method": "answerCallbackQuery", "callback_query_id": callback_id}
    if text:
        answer["text"] = text
    return JSONResponse(answer)
