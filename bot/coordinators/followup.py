"""Coordinators see how far the schools got with their families."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.engine.flow import Flow
from bot.engine.meaning import answer_of
from bot.flowfiles.registry import stored_revision
from bot.messages.followup import FollowUpStatus
from bot.storage.models import Response
from bot.storage.unit import UnitOfWork


@dataclass(frozen=True, slots=True)
class FamilyFollowUp:
    """One family as its school follows it up."""

    school_code: str
    response_id: int
    grade: str
    answered: datetime
    in_digest: bool
    status: FollowUpStatus
    # The staff member who set the status, and when; empty while it is open.
    by: str
    at: datetime | None


def follow_up(uow: UnitOfWork, school_code: str | None, *, helped: bool) -> list[FamilyFollowUp]:
    """Return the families of every school (or one), oldest first; helped ones only if asked."""
    flows: dict[str, Flow | None] = {}
    return [
        FamilyFollowUp(
            response.school_code or "",
            response.id,
            _group(uow, response, flows),
            response.completed_at,
            response.digest_id is not None,
            FollowUpStatus(response.followup_status),
            name or "",
            response.followup_at,
        )
        for response, name in uow.families.followed_up(school_code, helped=helped)
    ]


def _group(uow: UnitOfWork, response: Response, flows: dict[str, Flow | None]) -> str:
    """Return the child's group as the flow the family answered declares it, as stored."""
    revision = response.flow_revision
    if revision not in flows:
        flows[revision] = stored_revision(uow, revision)
    flow = flows[revision]
    value = None if flow is None else answer_of(flow, flow.meaning.group, response.answers)
    return "" if value is None else str(value)
