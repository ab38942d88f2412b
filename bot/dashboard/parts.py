"""What the dashboard's pages are given by the composition root, and how they render."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.clock import AMSTERDAM, Clock, aware
from bot.dashboard.access import LANGUAGE, Viewer, csrf_token, viewer
from bot.dashboard.texts import texts
from bot.engine.flow import Flow
from bot.i18n.localizer import Localizers
from bot.storage.unit import SqlUnitOfWork, Transactions


class Flows(Protocol):
    """The flows in use, for the export's columns and the order of questions."""

    def all(self) -> list[Flow]:
        """Return the current flows, by id."""
        ...


@dataclass(frozen=True)
class Parts:
    """Everything the pages need, built once."""

    transactions: Transactions
    clock: Clock
    coordinators: frozenset[int]
    flows: Flows
    localizers: Localizers
    # The bot's username for the parent link: TELEGRAM_BOT_USERNAME or what the bot learned.
    bot_username: str
    open_days: float
    # How old the overview's counts may be before a view starts a recount.
    refresh_seconds: float = 60.0
    environment: Environment = field(default_factory=lambda: templates())

    def steps(self) -> Callable[[str, int], Sequence[str]]:
        """Return the question ids of a flow by id, in order (today's version of it)."""
        flows = {flow.id: flow for flow in self.flows.all()}

        def order(flow_id: str, _version: int) -> Sequence[str]:
            flow = flows.get(flow_id)
            return [step.id for step in flow.steps] if flow else []

        return order

    def who(self, request: Request, uow: SqlUnitOfWork) -> Viewer | None:
        """Return the signed-in viewer of the request, or None."""
        return viewer(request.session, uow, self.coordinators, self.clock.now())

    def page(
        self, request: Request, template: str, status: int = 200, **values: Any
    ) -> HTMLResponse:
        """Render a page in the session's UI language."""
        language = request.session.get(LANGUAGE, "nl")
        html = self.environment.get_template(template).render(
            t=texts(language),
            ui=language,
            csrf=csrf_token(request.session),
            root=request.scope.get("root_path", ""),
            **values,
        )
        return HTMLResponse(html, status_code=status)

    def message(self, request: Request, key: str, status: int) -> HTMLResponse:
        """Render a plain page with one sentence: refusals, sign-out."""
        return self.page(request, "message.html", status, key=key)


def templates() -> Environment:
    """Return the templates' environment, escaping everything by default."""
    environment = Environment(
        loader=PackageLoader("bot.dashboard", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["count"] = shown_count
    environment.filters["share"] = shown_share
    environment.filters["dutch"] = dutch_time
    return environment


def dutch_time(moment: datetime) -> str:
    """Write a stored time in Dutch local time, to the minute."""
    return aware(moment).astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def shown_count(value: int | None) -> str:
    """Write a count, "<5" for a hidden one."""
    return "<5" if value is None else f"{value:,}".replace(",", ".")


def shown_share(value: float | None) -> str:
    """Write a coverage share as a whole percentage, "–" when it cannot be shown."""
    return "–" if value is None else f"{round(value * 100)}%"
