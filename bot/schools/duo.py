"""Read DUO open-data lists of school locations (vestigingen) into School records."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal

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

_INSTITUTION_CODE = re.compile(r"[0-9A-Z]{4}")
_LOCATION_NUMBER = re.compile(r"[0-9]{2}")
_POSTCODE = re.compile(r"([0-9]{4}) ?([A-Z]{2})")


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


class DuoFormatError(ValueError):
    """A DUO file that cannot be read as a list of school locations."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        super().__init__(f"{source}, line {line}: {problem}")
        self.source = source
        self.line = line
        self.problem = problem


def read_duo(
    source: str | os.PathLike[str] | BinaryIO, *, sector: Sector | None = None
) -> Iterator[School]:
    """Yield every school location in a DUO vestigingen file, in file order."""
    name = _source_name(source)
    text = _decode(_read_bytes(source), name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header_row = next(reader, None)
    if header_row is None:
        raise DuoFormatError(name, 1, "the file is empty; expected a DUO header line")
    columns = _Columns.from_header(header_row, name)
    file_sector: Sector = sector or ("vo" if columns.secondary else "po")
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        cells = [_clean(cell) for cell in row]
        if not any(cells):
            continue
        school = columns.school(cells, file_sector, name, line)
        if school.code in seen:
            raise DuoFormatError(
                name,
                line,
                f"location code {school.code} already appeared on line {seen[school.code]}",
            )
        seen[school.code] = line
        yield school


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
        raise DuoFormatError(source, line, f"{institution!r} is not an institution code")
    # Should a list carry only the two-digit location number, prefix the institution.
    if _LOCATION_NUMBER.fullmatch(location):
        if not institution:
            raise DuoFormatError(
                source, line, f"location number {location} comes without an institution code"
            )
        return institution + location
    if not location.isascii() or not location.isalnum():
        raise DuoFormatError(source, line, f"{location!r} is not a location code")
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
    """Read the whole source; DUO lists are a few megabytes at most."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as fileobj:
            return fileobj.read()
    return source.read()


def _decode(data: bytes, source: str) -> str:
    """Decode a DUO file: cp1252 by spec, UTF-8 when a program re-saved it that way."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_as(data, "utf-8-sig", source)
    # cp1252 text with accents is practically never valid UTF-8, so a file that
    # decodes as UTF-8 and has non-ASCII bytes was re-saved as UTF-8 without a BOM.
    if not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return _decode_as(data, "cp1252", source)


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
