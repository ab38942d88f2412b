"""A school's page: its families with needs and follow-up, filters, the buttons, the export."""

from __future__ import annotations

import io
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.coordinators.export import export_writer
from bot.coordinators.links import bot_username
from bot.dashboard.access import csrf_ok
from bot.dashboard.letter import chosen_languages, letter
from bot.dashboard.parts import Parts
from bot.digests.needs import NEEDS
from bot.messages.followup import FollowUpStatus
from bot.staff.followup import set_status
from bot.storage.repositories.dashboard import FamilyRow
from bot.storage.repositories.exports import Selection

log = logging.getLogger(__name__)

# A school page lists this many of its newest families (the export has them all).
FAMILIES_SHOWN = 500
STATES = tuple(state.value for state in FollowUpStatus)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


class SchoolPages:
    """The pages' handlers, on the parts they share."""

    def __init__(self, parts: Parts) -> None:
        self._parts = parts

    def school(self, request: Request) -> Response:
        """Show a school's families, filtered."""
        parts = self._parts
        code = str(request.path_params["code"])
        now = parts.clock.now()
        with parts.transactions.begin() as uow:
            who = parts.who(request, uow)
            if who is None:
                return parts.message(request, "not_signed_in", 401)
            found = uow.dashboard.school(code) if who.may_see(code) else None
            if found is None:
                return parts.message(request, "not_found", 404)
            families = uow.dashboard.families(code, FAMILIES_SHOWN)
            uow.signins.audit(who.user_id, "viewed", code, now)
        query = request.query_params
        chosen = {k: query.get(k, "") for k in ("need", "language", "status")}
        shown = [family for family in families if _matches(family, chosen)]
        return parts.page(
            request,
            "school.html",
            school=found,
            families=shown,
            total=len(families),
            chosen=chosen,
            needs=NEEDS,
            states=STATES,
            languages=sorted({family.language for family in families}),
            coordinator=who.coordinator,
        )

    async def followup(self, request: Request) -> Response:
        """Set a family's follow-up from the buttons on its line."""
        parts = self._parts
        form = await request.form()
        if not csrf_ok(request.session, form.get("csrf")):
            return parts.message(request, "forbidden", 403)
        return await run_in_threadpool(
            _mark, parts, request, form.get("response"), form.get("status")
        )

    def export(self, request: Request) -> Response:
        """Download the school's export as CSV or XLSX."""
        parts = self._parts
        code, form = str(request.path_params["code"]), str(request.path_params["form"])
        now = parts.clock.now()
        out = io.BytesIO()
        with parts.transactions.begin() as uow:
            who = parts.who(request, uow)
            if form not in FORMATS or who is None or not who.may_see(code):
                return parts.message(request, "not_found", 404)
            if uow.dashboard.school(code) is None:
                return parts.message(request, "not_found", 404)
            flows = {flow.id: flow for flow in parts.flows.all()}
            write = export_writer(
                uow, Selection(school=code), form, flows, parts.localizers.get("nl")
            )
            rows = write(out)
            uow.signins.audit(who.user_id, f"exported_{form}", code, now)
        log.info("dashboard export of %d families of school %s", rows, code)
        media, suffix = FORMATS[form]
        return Response(
            out.getvalue(),
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{code}.{suffix}"'},
        )

    def printable(self, request: Request) -> Response:
        """Show the printable letter with the link and QR code."""
        parts = self._parts
        code = str(request.path_params["code"])
        with parts.transactions.begin() as uow:
            who = parts.who(request, uow)
            found = uow.dashboard.school(code) if who and who.may_see(code) else None
            if who is None or found is None:
                return parts.message(request, "not_found", 404)
            username = bot_username(uow, parts.bot_username)
            uow.signins.audit(who.user_id, "letter", code, parts.clock.now())
        languages = chosen_languages(request.query_params.getlist("lang"))
        made = letter(code, username, languages, parts.localizers)
        return parts.page(request, "letter.html", school=found, letter=made, chosen=languages)

    def routes(self) -> list[Route]:
        """Return the routes."""
        return [
            Route("/school/{code}", self.school, methods=["GET"]),
            Route("/school/{code}/followup", self.followup, methods=["POST"]),
            Route("/school/{code}/export.{form}", self.export, methods=["GET"]),
            Route("/school/{code}/letter", self.printable, methods=["GET"]),
        ]


def routes(parts: Parts) -> list[Route]:
    """Return the school page's routes."""
    return SchoolPages(parts).routes()


def _mark(parts: Parts, request: Request, response: object, status: object) -> Response:
    """Set a family's follow-up for a viewer who may; refuse any other press alike."""
    code = str(request.path_params["code"])
    root = request.scope.get("root_path", "")
    if not isinstance(response, str) or not response.isdigit() or len(response) > 12:
        return parts.message(request, "not_found", 404)
    if status not in (FollowUpStatus.CONTACTED.value, FollowUpStatus.HELPED.value):
        return parts.message(request, "not_found", 404)
    now = parts.clock.now()
    with parts.transactions.begin() as uow:
        who = parts.who(request, uow)
        if who is None or not who.may_see(code):
            return parts.message(request, "not_found", 404)
        # Only the families of the school in the address: a forged id of another is refused.
        allowed = [code]
        staff_id = who.schools.get(code)
        answer = set_status(uow, int(response), FollowUpStatus(status), allowed, (staff_id, now))
        if answer is None:
            return parts.message(request, "not_found", 404)
        uow.signins.audit(who.user_id, f"marked_{status}", response, now)
    return RedirectResponse(f"{root}/school/{code}#family-{response}", status_code=303)


def _matches(family: FamilyRow, chosen: dict[str, str]) -> bool:
    """Tell whether a family passes the page's filters (an empty filter passes all)."""
    return (
        (not chosen["need"] or chosen["need"] in family.needs)
        and (not chosen["language"] or chosen["language"] == family.language)
        and (not chosen["status"] or chosen["status"] == family.followup_status)
    )
