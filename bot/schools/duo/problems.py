"""What is wrong in a DUO file, each problem with its file and line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

# Problems shown for one file: enough to see a pattern, few enough to read.
MAX_PROBLEMS: Final = 20


@dataclass(frozen=True, slots=True)
class DuoProblem:
    """One thing wrong in a DUO file, where it is."""

    source: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.source}, line {self.line}: {self.problem}"


class DuoFormatError(ValueError):
    """A DUO file that cannot be read as a list of school locations: every problem found."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        self.problems: tuple[DuoProblem, ...] = (DuoProblem(source, line, problem),)
        self.more = 0
        super().__init__(str(self.problems[0]))

    @classmethod
    def of(cls, problems: Sequence[DuoProblem]) -> DuoFormatError:
        """Return one error for several problems, showing the first MAX_PROBLEMS of them."""
        first = problems[0]
        error = cls(first.source, first.line, first.problem)
        error.problems = tuple(problems[:MAX_PROBLEMS])
        error.more = len(problems) - len(error.problems)
        lines = [str(problem) for problem in error.problems]
        if error.more:
            lines.append(f"… and {error.more} more problems in {first.source}.")
        error.args = ("\n".join(lines),)
        return error
