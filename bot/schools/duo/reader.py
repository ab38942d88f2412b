"""Read DUO open-data lists of school locations (vestigingen) into School records."""

from __future__ import annotations

import csv
import io
import os
from typing import TYPE_CHECKING, BinaryIO

from bot.schools.duo.columns import Columns, clean
from bot.schools.duo.problems import DuoFormatError, DuoProblem
from bot.schools.duo.school import School, Sector
from bot.schools.duo.text import decode, read_bytes, source_name

if TYPE_CHECKING:
    from _csv import Reader as _Reader


def read_duo(
    source: str | os.PathLike[str] | BinaryIO, *, sector: Sector | None = None
) -> list[School]:
    """Return every school location in a DUO vestigingen file, in file order.

    The whole file is checked first: a DuoFormatError lists every problem found, so a
    coordinator fixes them in one go and nothing of a broken file is ever imported.
    """
    name = source_name(source)
    text = decode(read_bytes(source), name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header_row = _next_row(reader, name)
    if header_row is None or not any(cell.strip() for cell in header_row):
        raise DuoFormatError(name, 1, "the file is empty; expected a DUO header line")
    columns = Columns.from_header(header_row, name)
    schools, problems = _schools(reader, columns, sector or columns.sector, name)
    if problems:
        raise DuoFormatError.of(problems)
    if not schools:
        raise DuoFormatError(
            name, reader.line_num + 1, "the file has a header but no school locations"
        )
    return schools


def _schools(
    reader: _Reader, columns: Columns, sector: Sector, name: str
) -> tuple[list[School], list[DuoProblem]]:
    """Read every data row, keeping the schools and every problem found on the way."""
    schools: list[School] = []
    problems: list[DuoProblem] = []
    seen: dict[str, int] = {}
    while True:
        try:
            row = _next_row(reader, name)
        except DuoFormatError as error:
            # csv cannot find the next row after such a line: report what was found so far.
            problems.extend(error.problems)
            break
        if row is None:
            break
        line = reader.line_num
        cells = [clean(cell) for cell in row]
        if not any(cells):
            continue
        try:
            school = columns.school(cells, sector, name, line)
        except DuoFormatError as error:
            problems.extend(error.problems)
            continue
        if school.code in seen:
            earlier = seen[school.code]
            problems.append(
                DuoProblem(
                    name, line, f"location code {school.code} already appeared on line {earlier}"
                )
            )
            continue
        seen[school.code] = line
        schools.append(school)
    return schools, problems


def _next_row(reader: _Reader, source: str) -> list[str] | None:
    """Return the next row, or None at the end; a row csv cannot read is a DuoFormatError."""
    try:
        return next(reader, None)
    except csv.Error as error:
        # The csv module refuses cells over its limit (128 KiB), which no DUO list has;
        # after that it cannot find the next row, so this ends the reading.
        line = reader.line_num
        if "field limit" in str(error):
            limit = csv.field_size_limit() // 1024
            raise DuoFormatError(
                source, line, f"a cell is longer than {limit} KiB; no DUO list has such cells"
            ) from None
        raise DuoFormatError(source, line, f"the line cannot be read as CSV ({error})") from None
