"""The webhook server: Starlette owns HTTP, PTB stays the transport (as in PTB's own example)."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.telegram.app import UpdateHandler
from bot.telegram.ordering import PerUserOrder
from bot.telegram.updates import incoming

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
PATH = "/telegram"


def webhook_app(
    handler: UpdateHandler,
    *,
    secret: str,
    health: Callable[[], Awaitable[bool]],
    lifespan: Callable[[], AsyncIterator[None]],
) -> Starlette:
    """Return the ASGI app: POST /telegram for updates, GET /healthz for the load balancer."""
    order = PerUserOrder()

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            arrived = incoming(json.loads(await request.body()))
        except (ValueError, TypeError, KeyError, AttributeError):
            return PlainTextResponse("not an update", status_code=400)
        if arrived is None:
            return Response(status_code=200)  # a group, a channel...: nothing for us
        try:
            popup = await order.run(arrived.user_id, handler(arrived))
        except Exception:
            # Not stored: answer 500 so Telegram delivers the update again later.
            log.exception("update %s could not be stored", arrived.update_id)
            return PlainTextResponse("try again", status_code=500)
        if popup is None:
            return Response(status_code=200)
        # Telegram carries out one method given in the webhook's answer: no request of ours.
        answer = {"method": "answerCallbackQuery", "callback_query_id": popup.callback_id}
        if popup.text:
            answer["text"] = popup.text
        return JSONResponse(answer)

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
            Route(PATH, telegram, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=span,
    )
