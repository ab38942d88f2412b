"""The dashboard as an ASGI app: mounted at /dashboard beside /telegram, or served alone."""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.clock import Clock
from bot.dashboard import overview_pages, school_pages, signin
from bot.dashboard.access import SESSION_HOURS
from bot.dashboard.parts import Flows, Parts
from bot.i18n.localizer import Localizers
from bot.settings import Settings
from bot.storage.unit import Transactions

PREFIX = "/dashboard"
COOKIE = "ouderbrug_dashboard"
SESSION_SECONDS = SESSION_HOURS * 3600
_STATIC = Path(__file__).parent / "static"
# No script, nothing from elsewhere, no framing; the sign-in link's secret is in the
# address, so no page tells another site where it came from.
_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """Adds the dashboard's security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        await self._app(scope, receive, with_headers)


def dashboard_app(parts: Parts, secret: str | None, *, secure: bool) -> Starlette:
    """Return the dashboard's app, to be mounted at /dashboard.

    `secret` signs the session cookie (a new random one when None: sessions then end
    with the process); `secure` sends the cookie over https only.
    """
    key = secret or secrets.token_urlsafe(32)
    routes = [
        *overview_pages.routes(parts),
        *school_pages.routes(parts),
        *signin.routes(parts),
        Mount("/static", app=StaticFiles(directory=_STATIC), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=key,
            session_cookie=COOKIE,
            max_age=SESSION_SECONDS,
            path=PREFIX,
            same_site="strict",
            https_only=secure,
        ),
    ]
    return Starlette(routes=routes, middleware=middleware)


def standalone(dashboard: ASGIApp, prefix: str = PREFIX) -> Starlette:
    """Return an app that serves only the dashboard, at /dashboard (`ouderbrug dashboard`)."""

    def home(_request: Request) -> Response:
        return RedirectResponse(f"{prefix}/", status_code=307)

    return Starlette(routes=[Route("/", home), Mount(prefix, app=dashboard)])


def configured_dashboard(
    settings: Settings,
    transactions: Transactions,
    clock: Clock,
    flows: Flows,
    localizers: Localizers,
) -> Starlette:
    """Return the dashboard's app as the settings describe it, to be mounted at /dashboard."""
    parts = Parts(
        transactions,
        clock,
        frozenset(settings.coordinator_ids),
        flows,
        localizers,
        settings.telegram_bot_username,
        settings.followup_open_days,
        settings.dashboard_refresh_seconds,
    )
    secret = settings.dashboard_secret.get_secret_value() if settings.dashboard_secret else None
    return dashboard_app(parts, secret, secure=settings.dashboard_address.startswith("https://"))
