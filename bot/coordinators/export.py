"""Coordinators export the responses: a table for people, or choice keys for analysts."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import BinaryIO, TextIO

from bot.engine.flow import Flow
from bot.engine.ports import Localizer
from bot.exports import (
    FIXED_COLUMNS,
    PeopleTable,
    Selection,
    answer_columns,
    raw_cells,
    raw_record,
    write_excel_csv,
    write_json,
    write_raw_csv,
    write_xlsx,
)
from bot.storage.unit import UnitOfWork

# What writes the selected responses in one format to a byte stream; returns how many.
Write = Callable[[BinaryIO], int]
# The formats for people: Dutch headers and answers, which need the Dutch catalog.
FOR_PEOPLE = ("csv", "xlsx")


def missing_school(uow: UnitOfWork, selection: Selection) -> bool:
    """Tell whether the selection names a school that is not there."""
    return selection.school is not None and uow.schools.get(selection.school) is None


def export_writer(
    uow: UnitOfWork,
    selection: Selection,
    form: str,
    flows: Mapping[str, Flow],
    dutch: Localizer | None,
) -> Write:
    """Return what writes the selected responses in one format.

    It reads as it writes, so it is called while the unit of work is open: the columns
    are read now, the rows stream as the writer asks for them.
    """
    orders = {flow.id: [step.id for step in flow.steps if step.answered] for flow in flows.values()}
    steps = answer_columns(uow.exported.answered_steps(selection), orders)
    rows = uow.exported.rows(selection)
    if form == "csv-raw":
        header = [*FIXED_COLUMNS, *steps]
        return _as_text(
            lambda to: write_raw_csv(header, (raw_cells(r, steps, flows) for r in rows), to)
        )
    if form == "json":
        return _as_text(lambda to: write_json((raw_record(r, steps, flows) for r in rows), to))
    if dutch is None:
        raise ValueError(f"the {form} export is written in Dutch: it needs the Dutch catalog")
    # The people's table: the flows are written in Dutch, the catalog has the rest.
    table = PeopleTable(flows, dutch)
    titles = table.header(steps)
    cells = (table.cells(row, steps) for row in rows)
    if form == "xlsx":
        return lambda to: write_xlsx(titles, cells, to)
    return _as_text(lambda to: write_excel_csv(titles, cells, to))


def _as_text(write: Callable[[TextIO], int]) -> Write:
    """Let a writer of text write UTF-8 to a byte stream, whatever the terminal's encoding."""

    def write_bytes(target: BinaryIO) -> int:
        stream = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
        try:
            return write(stream)
        finally:
            stream.flush()
            # Hand the stream back (standard output stays open) instead of closing it.
            stream.detach()

    return write_bytes
