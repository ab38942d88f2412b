"""Coordinators see how far the schools got with their families."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.messages.followup import FollowUpStatus
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
    return [
        FamilyFollowUp(
            response.school_code or "",
            response.id,
            str(response.answers.get("grade", "")),
            response.completed_at,
            response.digest_id is not None,
            FollowUpStatus(response.followup_status),
            name or "",
            response.followup_at,
        )
        for response, name in uow.families.followed_up(school_code, helped=helped)
    ]
