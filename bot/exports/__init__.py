"""Responses as a table for coordinators and schools: CSV, JSON or XLSX, safe to open in Excel."""

from bot.exports.people import DUTCH_COLUMNS, PeopleTable
from bot.exports.table import (
    FIXED_COLUMNS,
    answer_columns,
    neutralize,
    raw_cells,
    raw_record,
)
from bot.exports.writers import (
    write_excel_csv,
    write_json,
    write_raw_csv,
    write_xlsx,
)

# The selection and the rows are read in storage (the unit of work's `exported`); callers
# that build or shape them keep importing them from here.
from bot.storage.repositories.exports import ResponseRow, Selection

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
    "write_excel_csv",
    "write_json",
    "write_raw_csv",
    "write_xlsx",
]
