"""`ouderbrug schools import-pupils`: DUO's pupils per school location, as DUO writes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import School
from tests.conftest import CliResult
from tests.integration.test_schools_cli import NATIONAL, PO_2026

Cli = Callable[..., CliResult]
HEADER = (
    "INSTELLINGSCODE;VESTIGINGSCODE;NAAM_VESTIGING;SOORT_VESTIGING;DENOMINATIE_VESTIGING;"
    "BEVOEGD_GEZAG_NUMMER;GEMEENTECODE_VESTIGING;GEMEENTENAAM_VESTIGING;LEERLINGEN_2024;"
    "LEERLINGEN_2025\r\n"
)


def pupils_file(tmp_path: Path, *rows: str) -> Path:
    """Write a pupils file as DUO does: UTF-8 with its mark, semicolons, CRLF."""
    path = tmp_path / "leerlingen.csv"
    path.write_bytes(("\ufeff" + HEADER + "".join(f"{row}\r\n" for row in rows)).encode())
    return path


def pupils(sessions: sessionmaker[Session]) -> dict[str, tuple[int | None, int | None]]:
    with sessions() as db:
        return {s.code: (s.pupils, s.pupils_year) for s in db.scalars(select(School))}


def test_the_newest_years_count_is_set_for_known_schools(
    ouderbrug: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    assert ouderbrug("schools", "import", str(PO_2026)).code == 0
    file = pupils_file(
        tmp_path,
        "05OC;05OC00;Kompas;BAS;Openbaar;32073;1680;AA EN HUNZE;150;162",
        "09KO;09KO00;Klein;BAS;Openbaar;32073;1680;AA EN HUNZE;6;<5",
        "99ZZ;99ZZ00;Elders;BAS;Openbaar;1;2;ERGENS;10;11",
    )
    result = ouderbrug("schools", "import-pupils", str(file))
    assert result.code == 0, result.err
    assert "Pupils of 2025 set for 2 schools; 1 locations" in result.out
    stored = pupils(sessions)
    assert stored["05OC00"] == (162, 2025)
    # DUO's own "<5": no count rather than a guess.
    assert stored["09KO00"] == (None, 2025)
    assert "99ZZ00" not in stored


def test_a_broken_file_names_every_problem_and_sets_nothing(
    ouderbrug: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    assert ouderbrug("schools", "import", str(PO_2026)).code == 0
    file = pupils_file(
        tmp_path,
        "05OC;05OC00;Kompas;BAS;Openbaar;32073;1680;AA EN HUNZE;150;162",
        "09KO;09KO00;Klein;BAS;Openbaar;32073;1680;AA EN HUNZE;6;veel",
        "short;row",
    )
    result = ouderbrug("schools", "import-pupils", str(file))
    assert result.code == 1
    assert "leerlingen.csv, line 3: LEERLINGEN_2025 'veel' is not a number" in result.err
    assert "leerlingen.csv, line 4: 2 columns, the header has 10" in result.err
    assert pupils(sessions)["05OC00"] == (None, None)


def test_a_list_of_schools_is_not_taken_for_pupils(ouderbrug: Cli) -> None:
    result = ouderbrug("schools", "import-pupils", str(PO_2026))
    assert result.code == 1
    assert "line 1: expected DUO's pupils per location" in result.err


def test_duos_real_file_sets_the_primary_schools_of_the_real_list(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    real = NATIONAL / "historisch-overzicht-aantal-leerlingen-per-schoolvestiging.csv"
    if not real.exists():
        pytest.skip(f"{real} is not here")
    assert ouderbrug("schools", "import", str(PO_2026)).code == 0
    result = ouderbrug("schools", "import-pupils", str(real))
    assert result.code == 0, result.err
    # One school of the 2026 extract opened after DUO's count of 2025.
    assert result.out.startswith("Pupils of 2025 set for 22 schools")
    years = [year for _, year in pupils(sessions).values()]
    assert sorted(years, key=str) == [2025] * 22 + [None]
