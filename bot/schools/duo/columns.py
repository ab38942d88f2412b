"""Where a DUO file keeps each value, and one data row made into a School."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from bot.schools.duo.problems import DuoFormatError, DuoProblem
from bot.schools.duo.school import School, Sector
from bot.schools.links import SCHOOL_CODE

# DUO has published two header sets over the years. Both carry the institution
# code (BRIN) and the full location code; in the files we have seen the location
# code already starts with the institution code ("16AH" + "00" = "16AH00").
_HEADER_SETS: dict[str, tuple[str, str]] = {
    # name of the set: (institution code column, location code column)
    "2026": ("INSTELLINGSCODE", "VESTIGINGSCODE"),
    "2020": ("BRIN NUMMER", "VESTIGINGSNUMMER"),
}

# Columns shared by both header sets, by the School field they fill. All are
# required: a renamed column should fail loudly rather than empty a field.
_FIELD_COLUMNS: dict[str, str] = {
    "name": "VESTIGINGSNAAM",
    "street": "STRAATNAAM",
    "house_number": "HUISNUMMER-TOEVOEGING",
    "postcode": "POSTCODE",
    "town": "PLAATSNAAM",
    "municipality": "GEMEENTENAAM",
    "phone": "TELEFOONNUMMER",
    "website": "INTERNETADRES",
}

# Only secondary-school lists describe which levels (VMBO, HAVO, ...) a location offers.
_SECONDARY_MARKER = "ONDERWIJSSTRUCTUUR"

# The longest value of each field: the sizes of the schools table's columns (a test keeps
# them equal), so that PostgreSQL never refuses a row that SQLite would have stored.
FIELD_LIMITS: Final = {
    **{"name": 200, "street": 200, "house_number": 20, "postcode": 10},
    **{"town": 100, "municipality": 100, "phone": 40, "website": 200},
}
# An institution (BRIN) code is two digits and two letters, as in every DUO list.
_INSTITUTION_CODE = re.compile(r"[0-9]{2}[A-Z]{2}")
_LOCATION_NUMBER = re.compile(r"[0-9]{2}")
_POSTCODE = re.compile(r"([0-9]{4}) ?([A-Z]{2})")


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each needed value sits in a row of one file."""

    width: int
    institution: int
    location: int
    fields: dict[str, int]
    secondary: bool

    @property
    def sector(self) -> Sector:
        """Return the sector the header says: only secondary lists describe levels."""
        return "vo" if self.secondary else "po"

    @classmethod
    def from_header(cls, header_row: list[str], source: str) -> Columns:
        """Locate the needed columns in a header line, or explain what is missing."""
        # Normalize the way spreadsheet programs tend to alter headers when re-saving.
        header = [" ".join(cell.replace("\ufeff", "").split()).upper() for cell in header_row]
        index: dict[str, int] = {}
        for position, title in enumerate(header):
            index.setdefault(title, position)
        found = [codes for codes in _HEADER_SETS.values() if codes[0] in index or codes[1] in index]
        if not found:
            hint = "" if len(header) > 1 else " (the file should be separated by ';')"
            raise DuoFormatError(
                source,
                1,
                "this is not a DUO list of school locations: the header has neither "
                f"VESTIGINGSCODE nor VESTIGINGSNUMMER{hint}",
            )
        institution_column, location_column = found[0]
        needed = [institution_column, location_column, *_FIELD_COLUMNS.values()]
        missing = [title for title in needed if title not in index]
        if missing:
            raise DuoFormatError(source, 1, f"missing column(s) {', '.join(missing)}")
        return cls(
            width=len(header),
            institution=index[institution_column],
            location=index[location_column],
            fields={field: index[title] for field, title in _FIELD_COLUMNS.items()},
            secondary=_SECONDARY_MARKER in index,
        )

    def school(self, cells: list[str], sector: Sector, source: str, line: int) -> School:
        """Build the School that one data row describes."""
        if len(cells) < self.width:
            raise DuoFormatError(
                source, line, f"the row has {len(cells)} fields but the header has {self.width}"
            )
        # Some exports end rows with extra separators; anything beyond is only allowed empty.
        if any(cells[self.width :]):
            raise DuoFormatError(
                source, line, f"the row has more fields than the header's {self.width}"
            )
        code = _location_code(cells[self.institution], cells[self.location], source, line)

        problems = [
            DuoProblem(source, line, problem)
            for field, title in _FIELD_COLUMNS.items()
            if (problem := cell_problem(title, cells[self.fields[field]], FIELD_LIMITS[field]))
        ]
        if problems:
            raise DuoFormatError.of(problems)

        def value(field: str) -> str | None:
            return cells[self.fields[field]] or None

        name = value("name")
        if name is None:
            raise DuoFormatError(source, line, f"location {code} has no name (VESTIGINGSNAAM)")
        postcode = value("postcode")
        return School(
            code=code,
            name=name,
            street=value("street"),
            house_number=value("house_number"),
            postcode=_postcode(postcode) if postcode else None,
            town=value("town"),
            municipality=value("municipality"),
            phone=value("phone"),
            website=value("website"),
            sector=sector,
        )


def _location_code(institution: str, location: str, source: str, line: int) -> str:
    """Combine the institution and location cells into one location code like 16AH00."""
    institution = institution.upper()
    location = location.replace(" ", "").upper()
    if not location:
        raise DuoFormatError(source, line, "the row has no location code")
    if institution and not _INSTITUTION_CODE.fullmatch(institution):
        raise DuoFormatError(
            source,
            line,
            f"{institution!r} is not an institution code (BRIN): two digits and two "
            "letters, like 16AH",
        )
    # Should a list carry only the two-digit location number, prefix the institution.
    if _LOCATION_NUMBER.fullmatch(location):
        if not institution:
            raise DuoFormatError(
                source, line, f"location number {location} comes without an institution code"
            )
        return institution + location
    if not SCHOOL_CODE.fullmatch(location):
        raise DuoFormatError(
            source,
            line,
            f"{location!r} is not a location code: two digits, two letters and two digits, "
            "like 16AH00",
        )
    if institution and not location.startswith(institution):
        raise DuoFormatError(
            source,
            line,
            f"location code {location} does not belong to institution {institution}",
        )
    return location


def _postcode(value: str) -> str:
    """Write a Dutch postcode the usual way ("1234 AB"), leaving anything else as given."""
    match = _POSTCODE.fullmatch(value.upper())
    return f"{match[1]} {match[2]}" if match else value


def cell_problem(title: str, value: str, limit: int) -> str | None:
    """Say what keeps a value from being stored in a column of this size, if anything."""
    for character in value:
        # NUL, which PostgreSQL refuses in text, and other codes no school name has.
        if unicodedata.category(character) == "Cc":
            return f"{title} holds the control character U+{ord(character):04X}"
    if len(value) > limit:
        return f"{title} has {len(value)} characters; at most {limit} fit"
    return None


def clean(cell: str) -> str:
    """Strip DUO's space padding and collapse inner runs of spaces."""
    return " ".join(cell.split())
