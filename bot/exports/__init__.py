"""Responses as a table for coordinators and schools: CSV or XLSX, safe to open in Excel."""

from bot.exports.table import FIXED_COLUMNS, Selection, answer_columns, export_rows, neutralize
from bot.exports.writers import write_csv, write_xlsx

__all__ = [
    "FIXED_COLUMNS",
    "Selection",
    "answer_columns",
    "export_rows",
    "neutralize",
    "write_csv",
    "write_xlsx",
]
