"""Schools' families as staff follow them up: responses, their status, the digests they were in."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.messages.followup import FollowUpStatus
from bot.storage.models import Digest, Response, Staff


class Families(Protocol):
    """The families (finished responses) schools follow up."""

    def newest(self, school_code: str, limit: int) -> list[Response]:
        """Return the school's most recent responses, newest first."""
        ...

    def for_followup(self, response_id: int) -> Response | None:
        """Return a response to change its status, locked against a press at the same time."""
        ...

    def statuses(self, response_ids: Collection[int]) -> dict[int, str]:
        """Return the follow-up status of each of these responses that still exists."""
        ...

    def digest(self, digest_id: int) -> Digest | None:
        """Return a digest, with the response ids of each of its messages."""
        ...

    def followed_up(
        self, school_code: str | None, *, helped: bool
    ) -> list[tuple[Response, str | None]]:
        """Return the responses of schools (or one), oldest first, with who set their status.

        Those marked helped only when `helped` is true; families without a school never.
        """
        ...


class SqlFamilies:
    """Families on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def newest(self, school_code: str, limit: int) -> list[Response]:
        """Return the school's most recent responses, newest first."""
        return list(
            self._db.scalars(
                select(Response)
                .where(Response.school_code == school_code)
                .order_by(Response.completed_at.desc(), Response.id.desc())
                .limit(limit)
            )
        )

    def for_followup(self, response_id: int) -> Response | None:
        """Return a response to change its status, locked against a press at the same time."""
        return self._db.get(Response, response_id, with_for_update=True)

    def statuses(self, response_ids: Collection[int]) -> dict[int, str]:
        """Return the follow-up status of each of these responses that still exists."""
        rows = self._db.execute(
            select(Response.id, Response.followup_status).where(Response.id.in_(response_ids))
        )
        return {response_id: status for response_id, status in rows}

    def digest(self, digest_id: int) -> Digest | None:
        """Return a digest, with the response ids of each of its messages."""
        return self._db.get(Digest, digest_id)

    def followed_up(
        self, school_code: str | None, *, helped: bool
    ) -> list[tuple[Response, str | None]]:
        """Return the responses of schools (or one), oldest first, with who set their status."""
        query = (
            select(Response, Staff.name)
            .outerjoin(Staff, Staff.id == Response.followup_staff_id)
            .where(Response.school_code.is_not(None))
            .order_by(Response.school_code, Response.completed_at, Response.id)
        )
        if school_code is not None:
            query = query.where(Response.school_code == school_code)
        if not helped:
            query = query.where(Response.followup_status != FollowUpStatus.HELPED)
        return [(response, name) for response, name in self._db.execute(query)]
