"""The webhook server's ASGI factory, one per worker process (`uvicorn --factory`)."""

from __future__ import annotations

from starlette.applications import Starlette

from bot.logs import configure
from bot.settings import load_settings
from bot.system.runtime import application_for, build_runtime, webhook_lifespan
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
    runtime = build_runtime(settings)
    application = application_for(runtime)
    return webhook_app(
        runtime.handler,
        secret=settings.webhook_secret.get_secret_value(),
        health=runtime.healthy,
        lifespan=lambda: webhook_lifespan(runtime, application),
    )
