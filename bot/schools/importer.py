"""Store DUO school locations in the `schools` table, updating the ones already there."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import islice
from typing import Any

from sqlalchemy import Executable, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.schools.duo import School
from bot.schools.links import new_staff_token
from bot.storage import models
from bot.storage.models import utcnow

# Rows per round trip: large enough to be fast, small enough for SQLite's
# limit on bound parameters in one `IN (...)`.
BATCH_SIZE = 500
# The columns a DUO list fills, compared to tell an update from an unchanged school.
DUO_FIELDS = tuple(f.name for f in fields(School) if f.name != "code")


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """How many schools were read, newly added and changed."""

    read: int = 0
    added: int = 0
    updated: int = 0

    def __add__(self, other: ImportCounts) -> ImportCounts:
        return ImportCounts(
            self.read + other.read, self.added + other.added, self.updated + other.updated
        )

    def __str__(self) -> str:
        return f"{self.read} read, {self.added} added, {self.updated} updated"


def import_schools(
    session: Session, schools: Iterable[School], *, batch_size: int = BATCH_SIZE
) -> ImportCounts:
    """Add new schools and update changed ones by code; staff tokens are never touched."""
    counts = ImportCounts()
    for batch in _batches(schools, batch_size):
        counts += _import_batch(session, batch)
    return counts


def _import_batch(session: Session, batch: Sequence[School]) -> ImportCounts:
    """Store one batch with one query to compare and one upsert for what differs."""
    # read_duo refuses a code twice in one file, but a caller's own list may repeat one;
    # one upsert statement must not touch a row twice (PostgreSQL refuses), so the last wins.
    by_code = {school.code: school for school in batch}
    table = _schools_table()
    stored = {
        row.code: tuple(getattr(row, name) for name in DUO_FIELDS)
        for row in session.execute(
            select(table.c.code, *(table.c[name] for name in DUO_FIELDS)).where(
                table.c.code.in_(by_code)
            )
        )
    }
    now = utcnow()
    values = []
    added = updated = 0
    for code, school in by_code.items():
        row = _values(school)
        old = stored.get(code)
        if old is None:
            added += 1
        elif old == tuple(row[name] for name in DUO_FIELDS):
            continue
        else:
            updated += 1
        values.append(
            {**row, "staff_token": new_staff_token(), "created_at": now, "updated_at": now}
        )
    if values:
        session.execute(_upsert(session, table), values)
    return ImportCounts(len(batch), added, updated)


def _upsert(session: Session, table: Table) -> Executable:
    """Build an INSERT that updates DUO's columns of a school already there, keeping its token."""
    # Another importer may add the same school between our SELECT and this INSERT:
    # ON CONFLICT makes that an update instead of a failure.
    changed = (*DUO_FIELDS, "updated_at")
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        pg_insert = postgresql.insert(table)
        return pg_insert.on_conflict_do_update(
            index_elements=[table.c.code], set_={name: pg_insert.excluded[name] for name in changed}
        )
    if dialect == "sqlite":
        lite_insert = sqlite.insert(table)
        return lite_insert.on_conflict_do_update(
            index_elements=[table.c.code],
            set_={name: lite_insert.excluded[name] for name in changed},
        )
    raise NotImplementedError(f"importing schools into {dialect} is not supported")


def _values(school: School) -> dict[str, Any]:
    return {"code": school.code, **{name: getattr(school, name) for name in DUO_FIELDS}}


def _schools_table() -> Table:
    table = models.School.__table__
    assert isinstance(table, Table)
    return table


def _batches(schools: Iterable[School], size: int) -> Iterator[list[School]]:
    iterator = iter(schools)
    while batch := list(islice(iterator, size)):
        yield batch
