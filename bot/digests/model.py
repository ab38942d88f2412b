"""What a digest holds, as plain data: built from responses, rendered without any I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from bot.messages.followup import FollowUpStatus


class Section(IntEnum):
    """Where a family stands in the digest; lower comes first."""

    URGENT = 0
    BASICS = 1
    OTHER = 2
    STILL_OPEN = 3


@dataclass(frozen=True, slots=True)
class Record:
    """One family's response as the digest needs it, read from the database (or made up)."""

    response_id: int
    session_id: int
    flow_revision: str
    language: str
    answers: dict[str, Any]
    completed_at: datetime
    telegram_user_id: int
    followup_status: str = FollowUpStatus.OPEN
    followup_at: datetime | None = None
    # The answers the school saw before the family changed them; None: not changed since.
    previous_answers: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Remark:
    """A parent's own words, with the translation into the digest's language if there is one."""

    label: str
    original: str
    translation: str | None
    # A voice note: `original` says so; staff play it by a button naming the step.
    step_id: str = ""
    voice: bool = False


@dataclass(frozen=True, slots=True)
class Family:
    """One family in a digest, every text already in the digest's language."""

    response_id: int
    section: Section
    grade: str
    needs: tuple[str, ...]
    answers: tuple[tuple[str, str], ...]
    remarks: tuple[Remark, ...]
    language: str
    contact: str
    phone: str
    telegram_user_id: int
    answered_at: str
    status: str
    completed_at: datetime
    # The title of the flow the family answered, so a school with several can tell them apart.
    flow: str = ""
    # Listed again because the family changed its answers; `changes` says what changed.
    updated: bool = False
    changes: tuple[str, ...] = ()
    # Where the conversation with the family stands, as digest lines (none: never written).
    conversation: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Digest:
    """A school's digest: its families in order, new ones first and still-open ones last."""

    school: str
    date: str
    families: tuple[Family, ...]

    @property
    def new_count(self) -> int:
        """Return how many families are new in this digest."""
        return sum(f.section is not Section.STILL_OPEN and not f.updated for f in self.families)

    @property
    def updated_count(self) -> int:
        """Return how many families are listed again because they changed their answers."""
        return sum(f.updated for f in self.families)

    @property
    def open_count(self) -> int:
        """Return how many families are listed again because they are still open."""
        return sum(f.section is Section.STILL_OPEN for f in self.families)
