"""The webhook server's ASGI factory, one per worker process (`uvicorn --factory`)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount

from bot.dashboard.app import PREFIX
from bot.logs import configure
from bot.settings import load_settings
from bot.system.build import build_system
from bot.system.lifecycle import Lifecycle
from bot.telegram.webhook import webhook_app


def create_app() -> Starlette:
    """Build the bot for this worker and return its web app."""
    settings = load_settings()
    configure(settings.log_level)
    problem = settings.webhook_secret_problem()
    if problem is not None:
        # `ouderbrug run --webhook` says so before starting uvicorn; this guards any other way.
        raise SystemExit(problem)
    assert settings.webhook_secret is not None
    lifecycle = Lifecycle(build_system(settings))
    lifecycle.prepare()
    return webhook_app(
        lifecycle.system.handler,
        secret=settings.webhook_secret.get_secret_value(),
        health=lifecycle.healthy,
        lifespan=lifecycle.webhook,
        beside=[Mount(PREFIX, app=lifecycle.system.dashboard)],
    )
