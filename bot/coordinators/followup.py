"""Coordinators see how far the schools got with their families."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.clock import aware
from bot.engine.flow import Flow
from bot.engine.meaning import answer_of
from bot.flowfiles.registry import stored_revision
from bot.messages.followup import FollowUpStatus
from bot.storage.models import ConversationMessage, Response, utcnow
from bot.storage.models.conversations import PARENT
from bot.storage.unit import UnitOfWork

# A conversation message unanswered this long is called out.
UNANSWERED = timedelta(days=2)


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
    # The conversation's latest message: who wrote it and when (None: never written).
    last_by: str = ""
    last_at: datetime | None = None
    # The latest message has waited two days or more for an answer.
    unanswered: bool = False


def follow_up(uow: UnitOfWork, school_code: str | None, *, helped: bool) -> list[FamilyFollowUp]:
    """Return the families of every school (or one), oldest first; helped ones only if asked."""
    families = _families(uow, school_code, helped=helped)
    latest = uow.conversations.last_of_families([f.response_id for f in families])
    now = utcnow()
    return [
        replace(
            family,
            last_by=_who(message),
            last_at=message.created_at,
            unanswered=now - aware(message.created_at) >= UNANSWERED,
        )
        if (message := latest.get(family.response_id)) is not None
        else family
        for family in families
    ]


def _who(message: ConversationMessage) -> str:
    return "family" if message.author == PARENT else f"school ({message.staff_name or ''})"


def _families(uow: UnitOfWork, school_code: str | None, *, helped: bool) -> list[FamilyFollowUp]:
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
