"""Coordinators give a school a flow of its own: a parent link for a flow, a school default."""

from __future__ import annotations

import secrets
from pathlib import Path

from bot.engine.flow import Flow
from bot.flowfiles.checker import check_folder
from bot.flowfiles.nodes import suggest
from bot.storage.models import ParentLink, School, utcnow
from bot.storage.unit import UnitOfWork

# 18 random bytes: 24 URL-safe characters, 144 bits; with "f-" well within 64 characters.
_TOKEN_BYTES = 18


def live_flows(flows_dir: Path, locales_dir: Path) -> dict[str, Flow]:
    """Return the flows the bot would serve from this folder, by id (checked as it checks)."""
    checked = check_folder(flows_dir, locales_dir)
    return {r.flow.id: r.flow for r in checked.files.values() if r.flow is not None}


def unknown_flow(flow_id: str, flows: dict[str, Flow], flows_dir: Path) -> str:
    """Say that no usable flow has this id, and which ids there are."""
    known = sorted(flows)
    return (
        f"There is no usable flow {flow_id!r} in {flows_dir}{suggest(flow_id, known)}. "
        f"Flows: {', '.join(known) or 'none'}. `ouderbrug flows check {flows_dir}` "
        "says what is wrong with a flow that is refused."
    )


def flow_link_token(uow: UnitOfWork, school: School, flow_id: str) -> str:
    """Return the token of the school's parent link for a flow, made the first time.

    The same school and flow keep one link, so a letter printed earlier stays valid.
    """
    found = uow.schools.flow_link(school.code, flow_id)
    if found is not None:
        return found.token
    link = ParentLink(
        token=secrets.token_urlsafe(_TOKEN_BYTES),
        school_code=school.code,
        flow_id=flow_id,
        created_at=utcnow(),
    )
    uow.schools.add_flow_link(link)
    return link.token
