"""Signing in by the one-time link the bot sent, signing out, and the UI language."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.dashboard.access import LANGUAGE, LINK, USER, csrf_ok, sign_in
from bot.dashboard.parts import Parts
from bot.dashboard.texts import UI_LANGUAGES
from bot.staff.signin import token_hash

log = logging.getLogger(__name__)


class SignInPages:
    """The pages' handlers, on the parts they share."""

    def __init__(self, parts: Parts) -> None:
        self._parts = parts

    def confirm(self, request: Request) -> Response:
        """Show the sign-in button for a link."""
        parts = self._parts
        # Opening the link only shows a button: Telegram's link preview and mail scanners
        # fetch links too, and must not use up the one sign-in.
        return parts.page(request, "signin.html", token=request.path_params["token"])

    def use(self, request: Request) -> Response:
        """Sign in with the link's secret, once; a used, expired or forged one is refused."""
        parts = self._parts
        secret = str(request.path_params["token"])
        now = parts.clock.now()
        with parts.transactions.begin() as uow:
            user_id = uow.signins.use(token_hash(secret), now) if len(secret) < 100 else None
            if user_id is not None:
                uow.signins.audit(user_id, "signed_in", "", now)
        if user_id is None:
            log.info("a dashboard sign-in link was refused")
            return parts.message(request, "signin_refused", 403)
        sign_in(request.session, user_id, token_hash(secret))
        return RedirectResponse(f"{request.scope.get('root_path', '')}/", status_code=303)

    async def sign_out(self, request: Request) -> Response:
        """End the session."""
        parts = self._parts
        form = await request.form()
        if not csrf_ok(request.session, form.get("csrf")):
            return parts.message(request, "forbidden", 403)
        user_id, link = request.session.get(USER), request.session.get(LINK)
        if isinstance(user_id, int) and isinstance(link, str):
            await run_in_threadpool(_sign_out, parts, user_id, link)
        language = request.session.get(LANGUAGE)
        request.session.clear()
        if language:
            request.session[LANGUAGE] = language
        return parts.message(request, "signed_out", 200)

    def language(self, request: Request) -> Response:
        """Switch the UI between Dutch and English."""
        chosen = str(request.path_params["language"])
        if chosen in UI_LANGUAGES:
            request.session[LANGUAGE] = chosen
        return RedirectResponse(f"{request.scope.get('root_path', '')}/", status_code=303)

    def routes(self) -> list[Route]:
        """Return the routes."""
        return [
            Route("/signin/{token}", self.confirm, methods=["GET"]),
            Route("/signin/{token}", self.use, methods=["POST"]),
            Route("/signout", self.sign_out, methods=["POST"]),
            Route("/language/{language}", self.language, methods=["GET"]),
        ]


def routes(parts: Parts) -> list[Route]:
    """Return the sign-in routes."""
    return SignInPages(parts).routes()


def _sign_out(parts: Parts, user_id: int, link: str) -> None:
    now = parts.clock.now()
    with parts.transactions.begin() as uow:
        uow.signins.end(link, now)
        uow.signins.audit(user_id, "signed_out", "", now)
