"""The schools, their staff links and digest settings, in the database."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Executable, Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage import stored
from bot.storage.models import ParentLink, School, utcnow

# Schools per `store_listed` call: large enough to be fast, small enough for SQLite's
# limit on bound parameters in one `IN (...)`.
LISTED_BATCH = 500


# Not frozen: a frozen dataclass's __init__ is more than twice as slow, and an import
# makes one of these for each of a national list's thousands of schools.
@dataclass(slots=True)
class ListedSchool:
    """One school as a published list gives it: the columns an import fills, by code."""

    code: str
    name: str
    street: str | None
    house_number: str | None
    postcode: str | None
    town: str | None
    municipality: str | None
    phone: str | None
    website: str | None
    sector: str | None

    def columns(self) -> dict[str, Any]:
        """Return the listed columns but the code, by name."""
        return dict(zip(LISTED, _listed_values(self), strict=True))


# The columns a list fills, compared to tell an update from an unchanged school.
LISTED = tuple(f.name for f in fields(ListedSchool) if f.name != "code")
_listed_values = attrgetter(*LISTED)


class ListedCounts(NamedTuple):
    """How many schools of one batch were newly added and how many changed."""

    added: int
    updated: int


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

    def store_listed(
        self, batch: Sequence[ListedSchool], new_token: Callable[[], str]
    ) -> ListedCounts:
        """Add the schools not there (each with a `new_token()`), update those that differ.

        Staff tokens of schools already there are never touched; a code given twice is
        stored as its last listing. At most LISTED_BATCH schools at a time.
        """
        ...

    def listing(self, town: str | None) -> list[School]:
        """Return every school (or those of one town, in any case), by town and name."""
        ...

    def link_username(self) -> str | None:
        """Return the bot's username as the bot learned it at its start: links are made with it."""
        ...

    def parent_link(self, token: str) -> ParentLink | None:
        """Return the flow-carrying parent link with this token."""
        ...

    def flow_link(self, code: str, flow_id: str) -> ParentLink | None:
        """Return the school's parent link for this flow, if one was made."""
        ...

    def add_flow_link(self, link: ParentLink) -> None:
        """Store a new flow-carrying parent link."""
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

    def parent_link(self, token: str) -> ParentLink | None:
        """Return the flow-carrying parent link with this token."""
        return self._db.get(ParentLink, token)

    def flow_link(self, code: str, flow_id: str) -> ParentLink | None:
        """Return the school's parent link for this flow, if one was made."""
        return self._db.scalar(
            select(ParentLink).where(ParentLink.school_code == code, ParentLink.flow_id == flow_id)
        )

    def add_flow_link(self, link: ParentLink) -> None:
        """Store a new flow-carrying parent link."""
        self._db.add(link)
        self._db.flush()

    def add(self, school: School) -> None:
        """Store a new school."""
        self._db.add(school)

    def store_listed(
        self, batch: Sequence[ListedSchool], new_token: Callable[[], str]
    ) -> ListedCounts:
        """Store the batch with one query to compare and one upsert for what differs.

        Core statements, not ORM objects: a national list is thousands of schools.
        """
        # read_duo refuses a code twice in one file, but a caller's own list may repeat one;
        # one upsert statement must not touch a row twice (PostgreSQL refuses), so the last wins.
        by_code = {school.code: school for school in batch}
        table = _schools_table()
        query = select(table.c.code, *(table.c[name] for name in LISTED))
        stored_rows = {
            code: tuple(columns)
            for code, *columns in self._db.execute(query.where(table.c.code.in_(by_code)))
        }
        now = utcnow()
        values = []
        added = updated = 0
        for code, school in by_code.items():
            listed = _listed_values(school)
            old = stored_rows.get(code)
            if old is None:
                added += 1
            elif old == listed:
                continue
            else:
                updated += 1
            row = {"code": code, **dict(zip(LISTED, listed, strict=True))}
            values.append({**row, "staff_token": new_token(), "created_at": now, "updated_at": now})
        if values:
            self._db.execute(self._upsert(table), values)
        return ListedCounts(added, updated)

    def listing(self, town: str | None) -> list[School]:
        """Return every school (or those of one town, in any case), by town and name."""
        query = select(School).order_by(School.town, School.name, School.code)
        if town is not None:
            query = query.where(func.upper(School.town) == town.upper())
        return list(self._db.scalars(query))

    def link_username(self) -> str | None:
        """Return the bot's username as the bot learned it at its start: links are made with it."""
        return stored.recall(self._db, stored.BOT_USERNAME)

    def _upsert(self, table: Table) -> Executable:
        """Build an INSERT that updates the listed columns of a school there, keeping its token."""
        # Another importer may add the same school between our SELECT and this INSERT:
        # ON CONFLICT makes that an update instead of a failure.
        changed = (*LISTED, "updated_at")
        dialect = self._db.get_bind().dialect.name
        if dialect == "postgresql":
            pg_insert = postgresql.insert(table)
            return pg_insert.on_conflict_do_update(
                index_elements=[table.c.code],
                set_={name: pg_insert.excluded[name] for name in changed},
            )
        if dialect == "sqlite":
            lite_insert = sqlite.insert(table)
            return lite_insert.on_conflict_do_update(
                index_elements=[table.c.code],
                set_={name: lite_insert.excluded[name] for name in changed},
            )
        raise NotImplementedError(f"importing schools into {dialect} is not supported")


def _schools_table() -> Table:
    table = School.__table__
    assert isinstance(table, Table)
    return table
