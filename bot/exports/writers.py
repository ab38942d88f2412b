"""Write export rows as CSV (UTF-8 with BOM, for Excel) or as an XLSX workbook."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from bot.exports.table import Cell, neutralize


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]], stream: TextIO) -> int:
    """Write a header and rows as CSV to a text stream; return how many rows."""
    import csv

    # Excel takes a file without a byte order mark for the local code page and
    # garbles accents and Arabic; with it, UTF-8 is read as UTF-8.
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow([neutralize(title) for title in header])
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]], path: Path) -> int:
    """Write a header and rows as a one-sheet XLSX workbook; return how many rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    # Write-only mode streams rows to disk instead of keeping the sheet in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
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
        # XML cannot hold most control characters and openpyxl refuses them; what is
        # left after dropping them is neutralized again, as it may now start a formula.
        sheet.append([_xml_safe(value, ILLEGAL_CHARACTERS_RE) for value in row])
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return count


def _xml_safe(value: Cell, illegal: re.Pattern[str]) -> Cell:
    return neutralize(illegal.sub("", value)) if isinstance(value, str) else value
