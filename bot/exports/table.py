"""Turn stored responses into rows: fixed columns, then one column per answered step."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from bot.storage.models import Response, School

FIXED_COLUMNS: Final = (
    *("response_id", "completed_at", "school_code", "school_name", "school_query"),
    *("language", "flow_id", "flow_version", "child_number"),
)
# What a spreadsheet may read as the start of a formula (OWASP's CSV injection list).
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
# Rows fetched per round trip while streaming; memory stays flat however many there are.
_YIELD_PER: Final = 500

Cell = str | int


@dataclass(frozen=True, slots=True)
class Selection:
    """Which responses to export: one school's, the unassigned ones, or all."""

    school: str | None = None
    unassigned: bool = False

    def criterion(self) -> ColumnElement[bool]:
        """Return the WHERE clause that picks these responses."""
        if self.unassigned:
            return Response.school_code.is_(None)
        if self.school is not None:
            return Response.school_code == self.school
        return true()


def answer_columns(
    session: Session, selection: Selection, step_orders: Mapping[str, Sequence[str]]
) -> list[str]:
    """Return the answered step ids: in the current flows' order where known, else sorted."""
    seen: set[str] = set()
    flows: set[str] = set()
    query = select(Response.flow_id, Response.answers).where(selection.criterion())
    for flow_id, answers in session.execute(query.execution_options(yield_per=_YIELD_PER)):
        flows.add(flow_id)
        seen.update(answers)
    ordered: list[str] = []
    for flow_id in sorted(flows):
        ordered.extend(s for s in step_orders.get(flow_id, ()) if s in seen and s not in ordered)
    return ordered + sorted(seen - set(ordered))


@dataclass(frozen=True, slots=True)
class ResponseRow:
    """One stored response as the export reads it, before it is written in any format."""

    response_id: int
    completed_at: datetime  # aware, in UTC
    school_code: str | None
    school_name: str | None
    school_query: str | None
    language: str
    flow_id: str
    flow_version: int
    child_number: int
    answers: Mapping[str, Any]


def response_rows(session: Session, selection: Selection) -> Iterator[ResponseRow]:
    """Yield the selected responses, oldest first, streamed in batches."""
    query = (
        select(
            Response.id,
            Response.completed_at,
            Response.school_code,
            School.name,
            Response.school_query,
            Response.language,
            Response.flow_id,
            Response.flow_version,
            Response.child_number,
            Response.answers,
        )
        .outerjoin(School, School.code == Response.school_code)
        .where(selection.criterion())
        .order_by(Response.completed_at, Response.id)
        .execution_options(yield_per=_YIELD_PER)
    )
    for found in session.execute(query):
        completed_at = found[1]
        aware = completed_at if completed_at.tzinfo else completed_at.replace(tzinfo=UTC)
        yield ResponseRow(found[0], aware, *found[2:])


def raw_cells(row: ResponseRow, steps: Sequence[str]) -> list[Cell]:
    """Return a response for analysts: choice keys, ISO times in UTC, the FIXED_COLUMNS first."""
    fixed = _raw_fixed(row)
    return [cell(value) for value in fixed] + [cell(row.answers.get(step)) for step in steps]


def raw_record(row: ResponseRow, steps: Sequence[str]) -> dict[str, Any]:
    """Return a response as JSON values: the FIXED_COLUMNS, then the answers it has, as stored."""
    record: dict[str, Any] = dict(zip(FIXED_COLUMNS, _raw_fixed(row), strict=True))
    record.update((step, row.answers[step]) for step in steps if step in row.answers)
    return record


def _raw_fixed(row: ResponseRow) -> tuple[Any, ...]:
    """Return the values of the FIXED_COLUMNS, as stored, the time in ISO UTC."""
    return (
        *(row.response_id, iso_utc(row.completed_at), row.school_code, row.school_name),
        *(row.school_query, row.language, row.flow_id, row.flow_version, row.child_number),
    )


def cell(value: Any) -> Cell:
    """Write one value as a cell: choice keys as stored, several joined by ';', skipped empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        # A number is never read as a formula, and stays a number in a spreadsheet.
        return value
    if isinstance(value, list | tuple):
        return neutralize(";".join(str(item) for item in value))
    return neutralize(str(value))


def neutralize(text: str) -> str:
    """Prefix text a spreadsheet would run as a formula with ', so it shows as typed."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def iso_utc(moment: datetime) -> str:
    """Write a time as ISO 8601 in UTC; SQLite hands times back without their zone."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
