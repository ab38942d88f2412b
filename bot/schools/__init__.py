"""School locations: reading DUO's open-data lists and finding the school a parent means."""

from bot.schools.duo import DuoFormatError, School, Sector, read_duo
from bot.schools.search import SchoolIndex

__all__ = ["DuoFormatError", "School", "SchoolIndex", "Sector", "read_duo"]
