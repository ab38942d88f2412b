"""Read DUO open-data lists of school locations (vestigingen) into School records."""

from bot.schools.duo.columns import FIELD_LIMITS, cell_problem
from bot.schools.duo.problems import MAX_PROBLEMS, DuoFormatError, DuoProblem
from bot.schools.duo.reader import read_duo
from bot.schools.duo.school import School, Sector
from bot.schools.duo.text import MAX_FILE_BYTES

__all__ = [
    "FIELD_LIMITS",
    "MAX_FILE_BYTES",
    "MAX_PROBLEMS",
    "DuoFormatError",
    "DuoProblem",
    "School",
    "Sector",
    "cell_problem",
    "read_duo",
]
