"""What an import could not carry over or refused, named by sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing about a form a coordinator should know, with where it is in the workbook."""

    # None for the file as a whole.
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    severity: Severity = "warning"
    # The column's letter in the spreadsheet (H), when the file has letters.
    letter: str | None = None

    @property
    def is_error(self) -> bool:
        """Tell whether this finding stops the import."""
        return self.severity == "error"

    def format(self, file: str) -> str:
        """Return the finding as one line: file, sheet, row, column, message."""
        level = "error: " if self.is_error else ""
        if self.sheet is None:
            return f"{file}: {level}{self.message}"
        where = [f"sheet {self.sheet}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            letter = f" {self.letter}" if self.letter else ""
            where.append(f"column{letter} ({self.column})")
        return f"{file}: {', '.join(where)}: {level}{self.message}"


class Findings:
    """Collect the findings of one import, in the order they were made."""

    def __init__(self, letters: dict[tuple[str, str], str] | None = None) -> None:
        self.items: list[Finding] = []
        self._letters = letters or {}

    def error(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        """Record a problem that keeps the form from being imported."""
        self._add(Finding(sheet, row, column, message, "error", self._letter(sheet, column)))

    def warning(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        """Record something of the form that the flow does not carry over as it was."""
        self._add(Finding(sheet, row, column, message, "warning", self._letter(sheet, column)))

    @property
    def failed(self) -> bool:
        """Tell whether any error was recorded."""
        return any(f.is_error for f in self.items)

    def _letter(self, sheet: str | None, column: str | None) -> str | None:
        if sheet is None or column is None:
            return None
        return self._letters.get((sheet, column))

    def _add(self, finding: Finding) -> None:
        if finding not in self.items:
            self.items.append(finding)
