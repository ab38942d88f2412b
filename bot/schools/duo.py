"""Read DUO open-data lists of school locations (vestigingen) into School records."""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Final, Literal

from bot.schools.links import SCHOOL_CODE

if TYPE_CHECKING:
    from _csv import Reader as _Reader

Sector = Literal["po", "vo"]

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
# Problems shown for one file: enough to see a pattern, few enough to read.
MAX_PROBLEMS: Final = 20
# The largest file read: thirty times DUO's national list of primary school locations.
MAX_FILE_BYTES: Final = 64 << 20

# An institution (BRIN) code is two digits and two letters, as in every DUO list.
_INSTITUTION_CODE = re.compile(r"[0-9]{2}[A-Z]{2}")
_LOCATION_NUMBER = re.compile(r"[0-9]{2}")
_POSTCODE = re.compile(r"([0-9]{4}) ?([A-Z]{2})")
# What other programs write at the start of files that are not CSV text.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS_CSV = "in Excel choose Save As, CSV (puntkomma-gescheiden)"


@dataclass(frozen=True, slots=True)
class School:
    """One school location as DUO lists it."""

    code: str
    name: str
    street: str | None
    house_number: str | None
    postcode: str | None
    town: str | None
    municipality: str | None
    phone: str | None
    website: str | None
    sector: Sector

    @property
    def institution_code(self) -> str:
        """Return the institution (BRIN) part of the location code."""
        return self.code[:4]


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


def read_duo(
    source: str | os.PathLike[str] | BinaryIO, *, sector: Sector | None = None
) -> list[School]:
    """Return every school location in a DUO vestigingen file, in file order.

    The whole file is checked first: a DuoFormatError lists every problem found, so a
    coordinator fixes them in one go and nothing of a broken file is ever imported.
    """
    name = _source_name(source)
    text = _decode(_read_bytes(source), name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header_row = _next_row(reader, name)
    if header_row is None or not any(cell.strip() for cell in header_row):
        raise DuoFormatError(name, 1, "the file is empty; expected a DUO header line")
    columns = _Columns.from_header(header_row, name)
    file_sector: Sector = sector or ("vo" if columns.secondary else "po")
    schools: list[School] = []
    problems: list[DuoProblem] = []
    seen: dict[str, int] = {}
    while True:
        try:
            row = _next_row(reader, name)
        except DuoFormatError as error:
            # csv cannot find the next row after such a line: report what was found so far.
            problems.extend(error.problems)
            break
        if row is None:
            break
        line = reader.line_num
        cells = [_clean(cell) for cell in row]
        if not any(cells):
            continue
        try:
            school = columns.school(cells, file_sector, name, line)
        except DuoFormatError as error:
            problems.extend(error.problems)
            continue
        if school.code in seen:
            problems.append(
                DuoProblem(
                    name,
                    line,
                    f"location code {school.code} already appeared on line {seen[school.code]}",
                )
            )
            continue
        seen[school.code] = line
        schools.append(school)
    if problems:
        raise DuoFormatError.of(problems)
    if not schools:
        raise DuoFormatError(
            name, reader.line_num + 1, "the file has a header but no school locations"
        )
    return schools


def _next_row(reader: _Reader, source: str) -> list[str] | None:
    """Return the next row, or None at the end; a row csv cannot read is a DuoFormatError."""
    try:
        return next(reader, None)
    except csv.Error as error:
        # The csv module refuses cells over its limit (128 KiB), which no DUO list has;
        # after that it cannot find the next row, so this ends the reading.
        line = reader.line_num
        if "field limit" in str(error):
            limit = csv.field_size_limit() // 1024
            raise DuoFormatError(
                source, line, f"a cell is longer than {limit} KiB; no DUO list has such cells"
            ) from None
        raise DuoFormatError(source, line, f"the line cannot be read as CSV ({error})") from None


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where each needed value sits in a row of one file."""

    width: int
    institution: int
    location: int
    fields: dict[str, int]
    secondary: bool

    @classmethod
    def from_header(cls, header_row: list[str], source: str) -> _Columns:
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


def _clean(cell: str) -> str:
    """Strip DUO's space padding and collapse inner runs of spaces."""
    return " ".join(cell.split())


def _source_name(source: str | os.PathLike[str] | BinaryIO) -> str:
    """Name a source the way an error message should."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<DUO file>"


def _read_bytes(source: str | os.PathLike[str] | BinaryIO) -> bytes:
    """Read the whole source; DUO lists are a few megabytes, so anything far larger is refused."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fileobj:
            data = fileobj.read(MAX_FILE_BYTES + 1)
    else:
        data = source.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        # Also what keeps /dev/zero or a huge wrong file from filling the memory.
        raise DuoFormatError(
            _source_name(source),
            1,
            f"the file is over {MAX_FILE_BYTES >> 20} MB; DUO's national lists are about "
            "2 MB: is this the right file?",
        )
    return data


def _decode(data: bytes, source: str) -> str:
    """Decode a DUO file: cp1252 by spec, UTF-8 when a program re-saved it that way."""
    _refuse_binary(data, source)
    if data.startswith(b"\xef\xbb\xbf"):
        # Without the mark itself, so that an error's position is the byte's own.
        return _decode_as(data[3:], "utf-8", source)
    # cp1252 text with accents is practically never valid UTF-8, so a file that
    # decodes as UTF-8 and has non-ASCII bytes was re-saved as UTF-8 without a BOM.
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return _decode_as(data, "cp1252", source)


def _refuse_binary(data: bytes, source: str) -> None:
    """Name what a file that is no CSV text seems to be; NUL never occurs in a text file."""
    if data.startswith(_WORKBOOK_MAGIC):
        raise DuoFormatError(
            source, 1, f"this is an Excel workbook, not a CSV list; {_SAVE_AS_CSV}"
        )
    if data.startswith(_UTF16_MARKS):
        raise DuoFormatError(
            source, 1, f"the file is saved as UTF-16 (Unicode text); {_SAVE_AS_CSV}"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DuoFormatError(
            source,
            data.count(b"\n", 0, nul) + 1,
            "byte 0x00 (NUL): this is not a text file, or it is damaged; "
            "a DUO list is a CSV text file",
        )


def _decode_as(data: bytes, encoding: str, source: str) -> str:
    """Decode with one encoding, or name the line with the offending byte."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise DuoFormatError(
            source,
            line,
            f"byte 0x{byte:02X} is not valid {encoding}; save the file as cp1252 or UTF-8",
        ) from None
