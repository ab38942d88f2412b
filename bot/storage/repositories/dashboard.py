"""The dashboard's reads and writes: needs per response, counts from indexes, sign-in links.

Every count here is one GROUP BY over an index (bot/storage/models/dashboard.py and the
indexes of migration 0012): a page view reads index entries, never the stored answers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from bot.storage.models import (
    FlowVersion,
    ParentSession,
    Response,
    ResponseNeed,
    School,
    StoredSetting,
)


class Needs(Protocol):
    """The needs each response declared, kept beside it."""

    def record(self, response_id: int, school_code: str | None, needs: Collection[str]) -> None:
        """Store a response's needs, in the transaction that stores the response."""
        ...


class SqlNeeds:
    """Needs on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def record(self, response_id: int, school_code: str | None, needs: Collection[str]) -> None:
        """Store a response's needs, in place of any it had (erased with it by cascade)."""
        self._db.execute(delete(ResponseNeed).where(ResponseNeed.response_id == response_id))
        if needs:
            rows = [
                {"response_id": response_id, "need": n, "school_code": school_code} for n in needs
            ]
            self._db.execute(insert(ResponseNeed), rows)


@dataclass(frozen=True, slots=True)
class SchoolRow:
    """A school as the overview lists it."""

    code: str
    name: str
    town: str | None
    municipality: str | None
    pupils: int | None


@dataclass(frozen=True, slots=True)
class FamilyRow:
    """One family on a school page: what it needs and where its follow-up stands."""

    response_id: int
    completed_at: datetime
    language: str
    child_number: int
    followup_status: str
    followup_at: datetime | None
    needs: frozenset[str]


class SqlDashboard:
    """The dashboard's counts and rows on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def set_pupils(self, counts: Iterable[tuple[str, int | None, int]]) -> int:
        """Set the pupils (and their year) of known schools; return how many were known."""
        known = set(self._db.scalars(select(School.code)))
        rows = [
            {"code": code, "pupils": pupils, "pupils_year": year}
            for code, pupils, year in counts
            if code in known
        ]
        if rows:
            self._db.execute(update(School), rows)
        return len(rows)

    def schools(self) -> list[SchoolRow]:
        """Return every school, by code."""
        query = select(
            School.code, School.name, School.town, School.municipality, School.pupils
        ).order_by(School.code)
        return [SchoolRow(*row) for row in self._db.execute(query)]

    def school(self, code: str) -> SchoolRow | None:
        """Return one school, or None."""
        query = select(
            School.code, School.name, School.town, School.municipality, School.pupils
        ).where(School.code == code)
        row = self._db.execute(query).first()
        return SchoolRow(*row) if row else None

    def followup_by_school(self, open_before: datetime) -> list[tuple[str | None, str, bool, int]]:
        """Return (school, follow-up status, answered before `open_before`, count)."""
        old = Response.completed_at < open_before
        query = select(Response.school_code, Response.followup_status, old, func.count()).group_by(
            Response.school_code, Response.followup_status, old
        )
        return [(s, f, bool(o), n) for s, f, o, n in self._db.execute(query)]

    def needs_by_school(self) -> list[tuple[str | None, str, int]]:
        """Return (school, need, count) for every need declared."""
        query = select(ResponseNeed.school_code, ResponseNeed.need, func.count()).group_by(
            ResponseNeed.school_code, ResponseNeed.need
        )
        return [(s, n, c) for s, n, c in self._db.execute(query)]

    def languages(self) -> list[tuple[str, int]]:
        """Return (language, count) of the responses."""
        query = select(Response.language, func.count()).group_by(Response.language)
        return [(lang, n) for lang, n in self._db.execute(query)]

    def completed_hours(self, since: datetime) -> list[tuple[str, int]]:
        """Return (hour as ISO text in UTC, count) of responses from `since` on.

        Counted per hour so the caller can put each hour into its Dutch day exactly, on
        both databases, without a time zone table in SQLite.
        """
        if self._db.get_bind().dialect.name == "sqlite":
            hour = func.substr(Response.completed_at, 1, 13)
        else:
            hour = func.to_char(func.timezone("UTC", Response.completed_at), "YYYY-MM-DD HH24")
        query = select(hour, func.count()).where(Response.completed_at >= since).group_by(hour)
        return [(str(h), n) for h, n in self._db.execute(query)]

    def dropoff(self) -> list[tuple[str, int, str, str | None, int]]:
        """Return (flow, version, session status, question it stands at, count)."""
        counted = (
            select(
                ParentSession.flow_revision,
                ParentSession.status,
                ParentSession.at_step,
                func.count().label("n"),
            )
            .group_by(ParentSession.flow_revision, ParentSession.status, ParentSession.at_step)
            .subquery()
        )
        query = select(
            FlowVersion.flow_id,
            FlowVersion.version,
            counted.c.status,
            counted.c.at_step,
            counted.c.n,
        ).join(FlowVersion, FlowVersion.revision == counted.c.flow_revision)
        return [(f, v, s, a, n) for f, v, s, a, n in self._db.execute(query)]

    def families(self, code: str, limit: int) -> list[FamilyRow]:
        """Return a school's families, newest first, with their needs."""
        query = (
            select(
                Response.id,
                Response.completed_at,
                Response.language,
                Response.child_number,
                Response.followup_status,
                Response.followup_at,
            )
            .where(Response.school_code == code)
            .order_by(Response.completed_at.desc(), Response.id.desc())
            .limit(limit)
        )
        rows = list(self._db.execute(query))
        needs: dict[int, set[str]] = {}
        ids = [row[0] for row in rows]
        if ids:
            found = select(ResponseNeed.response_id, ResponseNeed.need).where(
                ResponseNeed.response_id.in_(ids)
            )
            for response_id, need in self._db.execute(found):
                needs.setdefault(response_id, set()).add(need)
        return [FamilyRow(*row, needs=frozenset(needs.get(row[0], ()))) for row in rows]


# Set once every response stored before the dashboard has its needs beside it.
NEEDS_FILLED = "dashboard_needs_filled"


class SqlNeedsFilling:
    """Gives the responses stored before migration 0012 their needs, once."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def done(self) -> bool:
        """Tell whether the needs of older responses were filled in already."""
        return self._db.get(StoredSetting, NEEDS_FILLED) is not None

    def mark_done(self) -> None:
        """Remember that they were."""
        self._db.add(StoredSetting(key=NEEDS_FILLED, value="1"))

    def responses(self, after_id: int, limit: int) -> list[Response]:
        """Return responses by id, from after `after_id` on."""
        query = select(Response).where(Response.id > after_id).order_by(Response.id).limit(limit)
        return list(self._db.scalars(query))

    def replace(self, response_id: int, school_code: str | None, needs: Collection[str]) -> None:
        """Store a response's needs in place of any it has."""
        self._db.execute(delete(ResponseNeed).where(ResponseNeed.response_id == response_id))
        SqlNeeds(self._db).record(response_id, school_code, needs)
