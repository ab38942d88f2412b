"""School staff members, by school and Telegram account, in the database."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import Staff


class StaffMembers(Protocol):
    """The staff who joined a school by its staff link, revoked or not."""

    def get(self, member_id: int) -> Staff | None:
        """Return the membership with this id."""
        ...

    def of_school(self, school_code: str, user_id: int) -> Staff | None:
        """Return the Telegram user's membership of the school, revoked or not."""
        ...

    def memberships(self, user_id: int) -> dict[str, int]:
        """Return the schools the user is active staff of, by code, with the membership's id."""
        ...

    def add(self, member: Staff) -> None:
        """Store a new membership."""
        ...

    def listing(self, school_code: str | None) -> list[Staff]:
        """Return the staff of every school (or of one), by school and joining time."""
        ...


class SqlStaffMembers:
    """Staff members on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def get(self, member_id: int) -> Staff | None:
        """Return the membership with this id."""
        return self._db.get(Staff, member_id)

    def of_school(self, school_code: str, user_id: int) -> Staff | None:
        """Return the Telegram user's membership of the school, revoked or not."""
        return self._db.scalar(
            select(Staff).where(Staff.school_code == school_code, Staff.telegram_user_id == user_id)
        )

    def memberships(self, user_id: int) -> dict[str, int]:
        """Return the schools the user is active staff of, by code, with the membership's id."""
        rows = self._db.execute(
            select(Staff.school_code, Staff.id)
            .where(Staff.telegram_user_id == user_id, Staff.revoked_at.is_(None))
            .order_by(Staff.school_code)
        )
        return {code: member_id for code, member_id in rows}

    def add(self, member: Staff) -> None:
        """Store a new membership."""
        self._db.add(member)

    def listing(self, school_code: str | None) -> list[Staff]:
        """Return the staff of every school (or of one), by school and joining time."""
        query = select(Staff).order_by(Staff.school_code, Staff.joined_at, Staff.id)
        if school_code is not None:
            query = query.where(Staff.school_code == school_code)
        return list(self._db.scalars(query))
