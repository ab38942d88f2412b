"""The finished responses as the export reads them: which steps were answered, and each row."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from bot.storage.models import Response, School

# Rows fetched per round trip while streaming; memory stays flat however many there are.
_YIELD_PER: Final = 500


@dataclass(frozen=True, slots=True)
class Selection:
    """Which responses to export: one school's, the unassigned ones, or all."""

    school: str | None = None
    unassigned: bool = False


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


class ExportedResponses(Protocol):
    """The selected responses, read in two passes: their columns, then their rows."""

    def answered_steps(self, selection: Selection) -> dict[str, set[str]]:
        """Return, by flow id, the step ids the selected responses answered."""
        ...

    def rows(self, selection: Selection) -> Iterator[ResponseRow]:
        """Yield the selected responses, oldest first (ties by id)."""
        ...


class SqlExportedResponses:
    """The selected responses on one open session, streamed in batches."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def answered_steps(self, selection: Selection) -> dict[str, set[str]]:
        """Return, by flow id, the step ids the selected responses answered."""
        answered: dict[str, set[str]] = {}
        query = select(Response.flow_id, Response.answers).where(_picks(selection))
        for flow_id, answers in self._db.execute(query.execution_options(yield_per=_YIELD_PER)):
            answered.setdefault(flow_id, set()).update(answers)
        return answered

    def rows(self, selection: Selection) -> Iterator[ResponseRow]:
        """Yield the selected responses, oldest first (ties by id)."""
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
            .where(_picks(selection))
            .order_by(Response.completed_at, Response.id)
            .execution_options(yield_per=_YIELD_PER)
        )
        for found in self._db.execute(query):
            completed_at = found[1]
            # SQLite hands times back without their zone; they were stored in UTC.
            aware = completed_at if completed_at.tzinfo else completed_at.replace(tzinfo=UTC)
            yield ResponseRow(found[0], aware, *found[2:])


def _picks(selection: Selection) -> ColumnElement[bool]:
    """Return the WHERE clause that picks the selected responses."""
    if selection.unassigned:
        return Response.school_code.is_(None)
    if selection.school is not None:
        return Response.school_code == selection.school
    return true()
