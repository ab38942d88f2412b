"""The coordinators' overview, and its needs per school as a download."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.dashboard import charts
from bot.dashboard.overview import PAGE_SIZE, Filter, Overview, read_overview
from bot.dashboard.parts import Parts
from bot.dashboard.snapshots import Snapshots
from bot.dashboard.texts import texts
from bot.digests.needs import NEEDS
from bot.i18n.languages import language_name


class OverviewPages:
    """The pages' handlers, on the parts they share."""

    def __init__(self, parts: Parts) -> None:
        self._parts = parts
        self._snapshots = Snapshots(
            parts.transactions, parts.clock, parts.open_days, parts.steps, parts.refresh_seconds
        )

    def overview(self, request: Request) -> Response:
        """Show the overview to a coordinator; staff go to their school."""
        parts = self._parts
        root = request.scope.get("root_path", "")
        now = parts.clock.now()
        with parts.transactions.begin() as uow:
            who = parts.who(request, uow)
            if who is None:
                return parts.message(request, "not_signed_in", 401)
            if not who.coordinator:
                if len(who.schools) == 1:
                    return RedirectResponse(f"{root}/school/{next(iter(who.schools))}", 303)
                return parts.page(request, "schools.html", codes=sorted(who.schools))
            uow.signins.audit(who.user_id, "viewed", "overview", now)
        chosen = _filter(request)
        figures = read_overview(self._snapshots.get(), chosen)
        return parts.page(request, "overview.html", 200, **_values(request, figures, chosen))

    def needs(self, request: Request) -> Response:
        """Download the needs per school as CSV, for ordering."""
        parts = self._parts
        now = parts.clock.now()
        with parts.transactions.begin() as uow:
            who = parts.who(request, uow)
            if who is None or not who.coordinator:
                return parts.message(request, "not_found", 404)
            schools = {row.code: row for row in uow.dashboard.schools()}
            counted: dict[str | None, dict[str, int]] = defaultdict(dict)
            for code, need, count in uow.dashboard.needs_by_school():
                counted[code][need] = count
            uow.signins.audit(who.user_id, "exported", "needs", now)
        out = io.StringIO()
        out.write("\ufeff")  # Excel with Dutch settings reads UTF-8 by this mark
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["vestiging", "naam", "plaats", "gemeente", *NEEDS])
        for code in sorted(counted, key=lambda c: c or ""):
            school = schools.get(code or "")
            name, town, place = (
                (school.name, school.town, school.municipality)
                if school
                else ("(niet in de lijst)", "", "")
            )
            writer.writerow(
                [
                    code or "",
                    name,
                    town or "",
                    place or "",
                    *(counted[code].get(n, 0) for n in NEEDS),
                ]
            )
        return Response(
            out.getvalue().encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="behoeften-per-school.csv"'},
        )

    def routes(self) -> list[Route]:
        """Return the routes."""
        return [
            Route("/", self.overview, methods=["GET"]),
            Route("/needs.csv", self.needs, methods=["GET"]),
        ]


def routes(parts: Parts) -> list[Route]:
    """Return the overview's routes."""
    return OverviewPages(parts).routes()


def _filter(request: Request) -> Filter:
    """Read the school list's filter from the query, within bounds."""
    query = request.query_params
    page = query.get("page", "1")
    return Filter(
        municipality=query.get("municipality", "")[:100],
        search=query.get("q", "")[:100],
        page=int(page) if page.isdigit() and len(page) < 6 else 1,
    )


def _values(request: Request, figures: Overview, chosen: Filter) -> dict[str, object]:
    """Draw the overview's charts, and give each its numbers as rows for a table."""
    t = texts(request.session.get("language", "nl"))
    day_rows = [(day.strftime("%d-%m-%Y"), n) for day, n in figures.days]
    need_rows = [(t[f"need_{need}"], figures.total.needs[need]) for need in NEEDS]
    language_rows = [(language_name(code), n) for code, n in figures.languages]
    return {
        "o": figures,
        "chosen": chosen,
        "pages": max(1, -(-figures.school_count // PAGE_SIZE)),
        "need_keys": NEEDS,
        "day_rows": day_rows,
        "need_rows": need_rows,
        "language_rows": language_rows,
        "charts": {
            "days": charts.bars(t["per_day"], *_columns(day_rows), t["no_data"]),
            "needs": charts.horizontal(t["needs"], *_columns(need_rows), t["no_data"]),
            "languages": charts.horizontal(t["languages"], *_columns(language_rows), t["no_data"]),
        },
    }


def _columns(rows: list[tuple[str, int | None]]) -> tuple[list[str], list[int | None]]:
    return [label for label, _ in rows], [value for _, value in rows]
