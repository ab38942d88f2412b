"""Coordinators decide who receives a school's families: list, revoke and reinstate staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.outbox.recall import recall_for_revoked
from bot.schools.links import new_staff_token
from bot.storage.models import Staff
from bot.storage.unit import UnitOfWork


@dataclass(frozen=True, slots=True)
class Revoked:
    """The outcome of a revocation: who, since when, and the school's staff link now."""

    name: str
    # When they had been revoked already (nothing changed then); None when revoked now.
    already: datetime | None
    staff_token: str


@dataclass(frozen=True, slots=True)
class Reinstated:
    """The outcome of a reinstatement: who, and whether they had been revoked at all."""

    name: str
    was_revoked: bool


def staff_of(uow: UnitOfWork, school_code: str | None) -> list[Staff]:
    """Return the staff of every school, or of one, by school and joining time."""
    return uow.staff.listing(school_code)


def member_id(uow: UnitOfWork, school_code: str, user_id: int) -> int | None:
    """Return the id of the school's staff member with this Telegram user id, if any."""
    member = uow.staff.of_school(school_code, user_id)
    return member.id if member is not None else None


def revoke(
    uow: UnitOfWork, member: int, school_code: str, now: datetime, *, new_link: bool
) -> Revoked | None:
    """Stop sending the school's families to a member and, if asked, replace the staff link.

    None when the member or the school is gone (removed while the coordinator decided).
    """
    found = uow.staff.get(member)
    school = uow.schools.get(school_code)
    if found is None or school is None:
        return None
    already = found.revoked_at
    if already is None:
        found.revoked_at = now
        # What waits for their chat would still show them the school's families. The
        # outbox has no repository yet: its recall runs on the unit's session.
        recall_for_revoked(uow, found)
    if new_link:
        school.staff_token = new_staff_token()
    return Revoked(found.name, already, school.staff_token)


def reinstate(uow: UnitOfWork, school_code: str, user_id: int) -> Reinstated | None:
    """Let a revoked staff member receive the school's families again; None if no such member."""
    member = uow.staff.of_school(school_code, user_id)
    if member is None:
        return None
    was_revoked = member.revoked_at is not None
    member.revoked_at = None
    return Reinstated(member.name, was_revoked)
