"""Write export rows: CSV for Excel or for analysts, JSON, or an XLSX workbook."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from bot.exports.table import Cell, neutralize

# How a local time is written in the CSV for people: Excel reads it as a date and time in
# every language setting, and it sorts as text too.
_CSV_TIME = "%Y-%m-%d %H:%M"
# How the workbook shows its real date-time cells: the Dutch day-month-year.
_XLSX_TIME = "dd-mm-yyyy hh:mm"


def write_excel_csv(
    header: Sequence[str], rows: Iterable[Sequence[Cell | datetime]], stream: TextIO
) -> int:
    """Write a table as the digest's CSV attachment is written: for Excel with Dutch settings.

    Semicolons, CRLF and a UTF-8 byte order mark (without it Excel takes the local code
    page and garbles accents and Arabic). Cells must already be safe (digest's excel_cell).
    """
    from bot.digests.render import excel_cell, excel_writer

    stream.write("\ufeff")
    writer = excel_writer(stream)
    # Titles come from the flows' labels, which a coordinator writes.
    writer.writerow([excel_cell(title) for title in header])
    return _write_rows(writer, ([_csv_value(v) for v in row] for row in rows))


def write_raw_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]], stream: TextIO) -> int:
    """Write a table as plain CSV for analysts' tools: commas, no byte order mark."""
    import csv

    writer = csv.writer(stream)
    writer.writerow([neutralize(title) for title in header])
    return _write_rows(writer, rows)


def write_json(records: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """Write records as one JSON array, a record a line, without holding them all in memory."""
    count = 0
    stream.write("[")
    for record in records:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(record, ensure_ascii=False))
        count += 1
    stream.write("\n]\n")
    return count


def write_xlsx(
    header: Sequence[str], rows: Iterable[Sequence[Cell | datetime]], target: Path | BinaryIO
) -> int:
    """Write a header and rows as a one-sheet XLSX workbook; return how many rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    # Write-only mode streams rows to disk instead of keeping the sheet in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("antwoorden")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for title in header:
        titled = WriteOnlyCell(sheet, value=neutralize(title))
        titled.font = bold
        titles.append(titled)
    sheet.append(titles)
    count = 0
    for row in rows:
        cells: list[object] = []
        for value in row:
            if isinstance(value, datetime):
                moment = WriteOnlyCell(sheet, value=value)
                moment.number_format = _XLSX_TIME
                cells.append(moment)
            else:
                cells.append(_xml_safe(value, ILLEGAL_CHARACTERS_RE))
        sheet.append(cells)
        count += 1
    workbook.save(target)  # a ZIP archive: a path or a byte stream
    return count


def _write_rows(writer: Any, rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _csv_value(value: Cell | datetime) -> Cell:
    return value.strftime(_CSV_TIME) if isinstance(value, datetime) else value


def _xml_safe(value: Cell, illegal: re.Pattern[str]) -> Cell:
    """Drop what XML cannot hold; what is left may now start a formula, so check it again."""
    if not isinstance(value, str):
        return value
    kept = illegal.sub("", value)
    return neutralize(kept) if kept != value else value
