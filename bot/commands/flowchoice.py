"""Which flow a school's parents start on: `schools links --flow` and `schools set --flow`."""

from __future__ import annotations

import sys

from bot.settings import Settings
from bot.storage.models import School
from bot.storage.unit import UnitOfWork


def parent_link(
    uow: UnitOfWork, school: School, flow_id: str | None, settings: Settings
) -> tuple[str, str] | None:
    """Return the parent link's payload and its QR file's name; None (said why) if no flow."""
    from bot.coordinators.flowlinks import flow_link_token, live_flows, unknown_flow
    from bot.schools.links import flow_payload, parent_payload

    if flow_id is None:
        return parent_payload(school.code), f"{school.code}-ouderlink.png"
    flows = live_flows(settings.flows_dir, settings.locales_dir)
    if flow_id not in flows:
        print(unknown_flow(flow_id, flows, settings.flows_dir), file=sys.stderr)
        return None
    token = flow_link_token(uow, school, flow_id)
    return flow_payload(token), f"{school.code}-{flow_id}-ouderlink.png"


def school_flow(flow_id: str | None, settings: Settings) -> tuple[str | None, list[str]]:
    """Read `--flow` of `schools set`: a usable flow's id, '' for the default, or problems."""
    from bot.coordinators.flowlinks import live_flows, unknown_flow

    if flow_id is None:
        return None, []
    if flow_id in ("", "default"):
        return "", []
    flows = live_flows(settings.flows_dir, settings.locales_dir)
    if flow_id not in flows:
        return None, [unknown_flow(flow_id, flows, settings.flows_dir)]
    return flow_id, []
