"""Turn stored responses into rows: fixed columns, then one column per answered step."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from bot.engine.flow import Flow
from bot.engine.meaning import needs, urgent
from bot.storage.repositories.exports import ResponseRow

FIXED_COLUMNS: Final = (
    *("response_id", "completed_at", "school_code", "school_name", "school_query"),
    *("language", "flow_id", "flow_version", "child_number"),
    # What the flow's own `meaning:` makes of the answers; empty for a flow no longer there.
    *("urgent", "needs"),
)
# What a spreadsheet may read as the start of a formula (OWASP's CSV injection list).
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int


def answer_columns(
    answered: Mapping[str, Collection[str]], step_orders: Mapping[str, Sequence[str]]
) -> list[str]:
    """Return the answered step ids: in the current flows' order where known, else sorted.

    `answered` holds the steps answered by flow id (ExportedResponses.answered_steps).
    """
    seen = {step for steps in answered.values() for step in steps}
    ordered: list[str] = []
    for flow_id in sorted(answered):
        ordered.extend(s for s in step_orders.get(flow_id, ()) if s in seen and s not in ordered)
    return ordered + sorted(seen - set(ordered))


def raw_cells(row: ResponseRow, steps: Sequence[str], flows: Mapping[str, Flow]) -> list[Cell]:
    """Return a response for analysts: choice keys, ISO times in UTC, the FIXED_COLUMNS first."""
    fixed = _raw_fixed(row, flows)
    return [cell(value) for value in fixed] + [cell(row.answers.get(step)) for step in steps]


def raw_record(row: ResponseRow, steps: Sequence[str], flows: Mapping[str, Flow]) -> dict[str, Any]:
    """Return a response as JSON values: the FIXED_COLUMNS, then the answers it has, as stored."""
    record: dict[str, Any] = dict(zip(FIXED_COLUMNS, _raw_fixed(row, flows), strict=True))
    record.update((step, row.answers[step]) for step in steps if step in row.answers)
    return record


def _raw_fixed(row: ResponseRow, flows: Mapping[str, Flow]) -> tuple[Any, ...]:
    """Return the values of the FIXED_COLUMNS, as stored, the time in ISO UTC."""
    flow = flows.get(row.flow_id)
    return (
        *(row.response_id, iso_utc(row.completed_at), row.school_code, row.school_name),
        *(row.school_query, row.language, row.flow_id, row.flow_version, row.child_number),
        None if flow is None else urgent(flow, row.answers),
        [] if flow is None else list(needs(flow, row.answers)),
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
