"""Read an XLSForm's sheets through pyxform, keeping each row's number in the spreadsheet."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from bot.flowimport.findings import Findings

log = logging.getLogger(__name__)

SURVEY: Final = "survey"
CHOICES: Final = "choices"
SETTINGS: Final = "settings"
INSTALL: Final = 'pip install -e ".[xlsform]"'
# Row 1 holds the column names, so the first data row is row 2.
FIRST_ROW: Final = 2


class FormUnreadableError(Exception):
    """The file is no XLSForm pyxform can read; the message says why, for a coordinator."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a sheet: its number in the spreadsheet and its cells by column name."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """Return a cell by its column's name (any case), stripped; "" when empty."""
        for name, value in self.cells.items():
            if name.strip().lower() == column:
                return value.strip()
        return ""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet: its column names in order and its rows (empty ones left out)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def column(self, name: str) -> str | None:
        """Return the column as written for a name in any case, None when there is none."""
        for column in self.columns:
            if column.strip().lower() == name:
                return column
        return None


@dataclass(frozen=True, slots=True)
class Workbook:
    """The sheets of an XLSForm that an import reads; None where the form has none."""

    name: str
    survey: Sheet | None
    choices: Sheet | None
    settings: Sheet | None
    letters: dict[tuple[str, str], str] = field(default_factory=dict)
    # The data itself, as pyxform read it, for pyxform's own checks.
    definition: Any = None


def read_workbook(path: Path) -> Workbook:
    """Read an XLSForm (.xlsx, .xlsm, .xls, or pyxform's .csv and .md) into its sheets."""
    try:
        from pyxform.errors import PyXFormError
        from pyxform.xls2json_backends import get_xlsform
    except ImportError as error:
        raise FormUnreadableError(f"importing an XLSForm needs pyxform: {INSTALL}") from error
    if not path.is_file():
        raise FormUnreadableError(f"there is no file {path}")
    try:
        definition = get_xlsform(path)
    except (PyXFormError, OSError, ValueError, TypeError) as error:
        message = f"this is not a spreadsheet pyxform can read ({error})"
        if path.suffix.lower() == ".csv":
            # A sheet saved alone (FORM.survey.csv) lacks the sheet names pyxform's CSV needs.
            message = (
                "this CSV is not pyxform's one-file form, which names each sheet (survey, "
                "choices, settings) in its first column; import the .xlsx instead"
            )
        raise FormUnreadableError(message) from error
    return Workbook(
        name=path.stem,
        survey=_sheet(SURVEY, definition.survey, definition.survey_header),
        choices=_sheet(CHOICES, definition.choices, definition.choices_header),
        settings=_sheet(SETTINGS, definition.settings, definition.settings_header),
        letters=_letters(path),
        definition=definition,
    )


def _sheet(name: str, rows: Any, header: Any) -> Sheet | None:
    if rows is None and header is None:
        return None
    columns = tuple(str(c) for c in (header[0] if header else {}))
    found = tuple(
        Row(FIRST_ROW + i, {str(k): str(v) for k, v in row.items() if v is not None})
        for i, row in enumerate(rows or ())
        if row
    )
    return Sheet(name, columns, found)


def _letters(path: Path) -> dict[tuple[str, str], str]:
    """Return each column's letter (H) by sheet and column name, for a workbook that has them."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    letters: dict[tuple[str, str], str] = {}
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # letters are a help; pyxform already read the file
        log.debug("no column letters for %s", path, exc_info=True)
        return {}
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
                for index, value in enumerate(row, 1):
                    if isinstance(value, str) and value.strip():
                        name = " ".join(value.split())
                        letters[(sheet.title.lower(), name)] = get_column_letter(index)
    finally:
        book.close()
    return letters


def findings_for(workbook: Workbook) -> Findings:
    """Return an empty collection of findings that knows the workbook's column letters."""
    return Findings(workbook.letters)
