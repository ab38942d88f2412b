"""Responses as a table for coordinators and schools: CSV, JSON or XLSX, safe to open in Excel."""

from bot.exports.people import DUTCH_COLUMNS, PeopleTable
from bot.exports.table import (
    FIXED_COLUMNS,
    ResponseRow,
    Selection,
    answer_columns,
    neutralize,
    raw_cells,
    raw_record,
    response_rows,
)
from bot.exports.writers import (
    write_excel_csv,
    write_json,
    write_raw_csv,
    write_xlsx,
)

__all__ = [
    "DUTCH_COLUMNS",
    "FIXED_COLUMNS",
    "PeopleTable",
    "ResponseRow",
    "Selection",
    "answer_columns",
    "neutralize",
    "raw_cells",
    "raw_record",
    "response_rows",
    "write_excel_csv",
    "write_json",
    "write_raw_csv",
    "write_xlsx",
]
