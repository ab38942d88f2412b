"""What is wrong with a flow file, said so that a coordinator can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from bot.flowfiles.positions import Position
from bot.i18n.entries import printable

Severity = Literal["error", "warning"]


class Code(StrEnum):
    """Short, stable names for each kind of problem, for tools and tests to match on."""

    UNREADABLE = "unreadable"
    TOO_LARGE = "too-large"
    SYNTAX = "syntax"
    TOO_DEEP = "too-deep"
    ALIAS = "alias"
    NOT_A_MAPPING = "not-a-mapping"
    UNKNOWN_KEY = "unknown-key"
    DUPLICATE_KEY = "duplicate-key"
    WRONG_TYPE = "wrong-type"
    MISSING = "missing"
    BAD_VALUE = "bad-value"
    UNKNOWN_KIND = "unknown-kind"
    INVALID_ID = "invalid-id"
    DUPLICATE_ID = "duplicate-id"
    DUPLICATE_CHOICE = "duplicate-choice"
    DUPLICATE_LANGUAGE = "duplicate-language"
    MISPLACED = "misplaced"
    TOO_FEW_CHOICES = "too-few-choices"
    BAD_RANGE = "bad-range"
    BAD_CONDITION = "bad-condition"
    BAD_REFERENCE = "bad-reference"
    BAD_LITERAL = "bad-literal"
    UNUSED = "unused"
    DUPLICATE_FLOW = "duplicate-flow"
    NO_FLOWS = "no-flows"
    NOT_A_FLOW_FILE = "not-a-flow-file"
    NO_CATALOG = "no-catalog"
    UNTRANSLATED = "untranslated"
    TOO_LONG = "too-long"
    BAD_CHARACTER = "bad-character"
    BROKEN_TRANSLATION = "broken-translation"
    NOT_LOADED = "not-loaded"
    UNKNOWN_PLACEHOLDER = "unknown-placeholder"
    PLACEHOLDER_MISMATCH = "placeholder-mismatch"
    NO_CONSENT = "no-consent"
    NO_SCHOOL = "no-school"
    VERSION_UNCHANGED = "version-unchanged"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a flow file, with where it is and how bad it is."""

    file: str
    line: int
    column: int
    step_id: str | None
    message: str
    severity: Severity
    code: str

    @property
    def is_error(self) -> bool:
        """Tell whether this problem stops the flow from being used."""
        return self.severity == "error"

    def format(self) -> str:
        """Return the problem as one line: file, line, column, step and message."""
        where = f"{self.file}:{self.line}:{self.column}: "
        level = "warning: " if self.severity == "warning" else ""
        step = f"[step {self.step_id}] " if self.step_id is not None else ""
        return f"{where}{level}{step}{self.message}"


def sort_key(problem: Problem) -> tuple[str, int, int, str]:
    """Return a key that orders problems by file and place, then by code."""
    return (problem.file, problem.line, problem.column, problem.code)


class Reporter:
    """Collect the problems of one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, where: Position, step_id: str | None, code: Code, message: str) -> None:
        """Record a problem that stops the flow from being used."""
        self._add(where, step_id, code, message, "error")

    def warning(self, where: Position, step_id: str | None, code: Code, message: str) -> None:
        """Record a problem worth fixing that does not stop the flow."""
        self._add(where, step_id, code, message, "warning")

    @property
    def failed(self) -> bool:
        """Tell whether any error was recorded."""
        return any(p.is_error for p in self.problems)

    def _add(
        self, where: Position, step_id: str | None, code: Code, message: str, severity: Severity
    ) -> None:
        # What a coordinator wrote is quoted in messages; half an emoji in it must not
        # keep the report from being printed or sent.
        problem = Problem(
            printable(self.file),
            where.line,
            where.column,
            None if step_id is None else printable(step_id),
            printable(message),
            severity,
            code.value,
        )
        self.problems.append(problem)
