"""Coordinators set when and how a school gets its digest, and which flow it uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.digests.schedule import Schedule
from bot.storage.models import School
from bot.storage.unit import UnitOfWork


@dataclass(frozen=True, slots=True)
class DigestSettings:
    """What to change of a school's digest; None leaves a setting as it is."""

    schedule: Schedule | None = None
    language: str | None = None
    # An empty list: the digest goes by e-mail to nobody.
    emails: Sequence[str] | None = None
    # The flow the school's parents start on; "" for the installation's default.
    flow_id: str | None = None


def set_digest_settings(
    uow: UnitOfWork, code: str | None, change: DigestSettings, now: datetime
) -> School | None:
    """Change the school's digest settings; return the school, or None when there is none."""
    school = uow.schools.get(code) if code else None
    if school is None:
        return None
    if change.schedule is not None:
        school.digest_schedule = str(change.schedule)
        # The next digest follows the new schedule; families already waiting stay.
        school.digest_due_at = change.schedule.next_after(now)
    if change.language is not None:
        school.digest_language = change.language
    if change.emails is not None:
        school.digest_emails = list(change.emails)
    if change.flow_id is not None:
        school.flow_id = change.flow_id or None
    return school
