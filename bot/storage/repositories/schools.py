"""The schools, their staff links and digest settings, in the database."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage import stored
from bot.storage.models import School


class Schools(Protocol):
    """The schools families answer for, with what their staff links and digests need."""

    def get(self, code: str) -> School | None:
        """Return the school with this DUO code."""
        ...

    def by_staff_token(self, token: str) -> School | None:
        """Return the school whose staff link carries this token."""
        ...

    def add(self, school: School) -> None:
        """Store a new school."""
        ...

    def listing(self, town: str | None) -> list[School]:
        """Return every school (or those of one town, in any case), by town and name."""
        ...

    def link_username(self) -> str | None:
        """Return the bot's username as the bot learned it at its start: links are made with it."""
        ...


class SqlSchools:
    """Schools on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def get(self, code: str) -> School | None:
        """Return the school with this DUO code."""
        return self._db.get(School, code)

    def by_staff_token(self, token: str) -> School | None:
        """Return the school whose staff link carries this token."""
        return self._db.scalar(select(School).where(School.staff_token == token))

    def add(self, school: School) -> None:
        """Store a new school."""
        self._db.add(school)

    def listing(self, town: str | None) -> list[School]:
        """Return every school (or those of one town, in any case), by town and name."""
        query = select(School).order_by(School.town, School.name, School.code)
        if town is not None:
            query = query.where(func.upper(School.town) == town.upper())
        return list(self._db.scalars(query))

    def link_username(self) -> str | None:
        """Return the bot's username as the bot learned it at its start: links are made with it."""
        return stored.recall(self._db, stored.BOT_USERNAME)
