"""Read DUO's "pupils per school location" file: the newest count of each location.

DUO publishes it as `historisch-overzicht-aantal-leerlingen-per-schoolvestiging.csv`:
UTF-8 with a byte-order mark, semicolons, one row per location (VESTIGINGSCODE, e.g.
00AO00) and one column per year (LEERLINGEN_1996 ... LEERLINGEN_2025), newest last.
DUO itself writes "<5" for fewer than five pupils; such a location gets no count.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from typing import BinaryIO

from bot.schools.duo.problems import DuoFormatError, DuoProblem
from bot.schools.duo.text import decode, read_bytes, source_name

CODE_COLUMN = "VESTIGINGSCODE"
_YEAR = re.compile(r"LEERLINGEN_(\d{4})")
_CODE = re.compile(r"[0-9A-Z]{4}[0-9]{2}")
DUO_HIDDEN = "<5"


@dataclass(frozen=True, slots=True)
class PupilCount:
    """A school location's pupils in the newest year of the file."""

    code: str
    # None where DUO hides a count under five ("<5").
    pupils: int | None
    year: int


def read_pupils(source: str | os.PathLike[str] | BinaryIO) -> list[PupilCount]:
    """Return each location's pupils in the file's newest year; every problem at once."""
    name = source_name(source)
    reader = csv.reader(io.StringIO(decode(read_bytes(source), name), newline=""), delimiter=";")
    header = [cell.strip().upper() for cell in next(reader, [])]
    years = {int(m.group(1)): i for i, cell in enumerate(header) if (m := _YEAR.fullmatch(cell))}
    if CODE_COLUMN not in header or not years:
        raise DuoFormatError(
            name,
            1,
            f"expected DUO's pupils per location: columns {CODE_COLUMN} and LEERLINGEN_<year>",
        )
    code_at, year = header.index(CODE_COLUMN), max(years)
    counts: list[PupilCount] = []
    problems: list[DuoProblem] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        if len(row) != len(header):
            problems.append(
                DuoProblem(name, line, f"{len(row)} columns, the header has {len(header)}")
            )
            continue
        code, value = row[code_at].strip().upper(), row[years[year]].strip()
        if not _CODE.fullmatch(code):
            problems.append(DuoProblem(name, line, f"{code!r} is not a DUO location code"))
        elif value == DUO_HIDDEN:
            counts.append(PupilCount(code, None, year))
        elif not value.isdigit():
            problems.append(DuoProblem(name, line, f"LEERLINGEN_{year} {value!r} is not a number"))
        else:
            counts.append(PupilCount(code, int(value), year))
    if problems:
        raise DuoFormatError.of(problems)
    return counts
