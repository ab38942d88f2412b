"""`ouderbrug schools`: importing DUO lists, adding and listing schools, and their links."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.schools.duo import read_duo
from bot.schools.importer import import_schools
from bot.schools.links import (
    PAYLOAD,
    SCHOOL_CODE,
    ParentLink,
    StaffLink,
    deep_link,
    new_staff_token,
    parent_payload,
    parse_payload,
    staff_payload,
)
from bot.storage.models import School
from bot.storage.repositories.schools import SqlSchools
from bot.system.lifecycle import remember_username
from tests.conftest import CliResult

PROJECT = Path(__file__).resolve().parents[2]
DUO = PROJECT / "tests" / "fixtures" / "duo"
PO_2026 = DUO / "basisonderwijs-2026-extract.csv"
PO_2020 = DUO / "vestigingen-bo-2020-extract.csv"
VO_2020 = DUO / "vestigingen-vo-2020-extract.csv"
NATIONAL = PROJECT.parent / "shared" / "data" / "duo"
BOT = "OuderbrugTestBot"

# Telegram's rule, written out here rather than taken from the code under test.
RULE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

Cli = Callable[..., CliResult]


def stored(sessions: sessionmaker[Session]) -> dict[str, School]:
    with sessions() as session:
        return {school.code: school for school in session.scalars(select(School))}


def distinct_codes(*paths: Path) -> set[str]:
    return {school.code for path in paths for school in read_duo(path)}


# Importing


def test_import_adds_every_school_of_both_header_sets(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    result = ouderbrug("schools", "import", str(PO_2026), str(VO_2020))

    assert result.code == 0, result.err
    assert f"{PO_2026}: 23 read, 23 added, 0 updated" in result.out
    assert f"{VO_2020}: 13 read, 13 added, 0 updated" in result.out
    assert "total: 36 read, 36 added, 0 updated" in result.out
    schools = stored(sessions)
    assert set(schools) == distinct_codes(PO_2026, VO_2020)
    assert schools["18BR01"].sector == "vo"
    assert schools["05OC00"].name == "Dalton Kindcentrum ’t Kompas"
    assert schools["05OC00"].postcode == "9514 CA"


def test_import_gives_every_school_its_own_valid_staff_token(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    ouderbrug("schools", "import", str(PO_2026), str(PO_2020), str(VO_2020))

    tokens = [school.staff_token for school in stored(sessions).values()]
    assert len(set(tokens)) == len(tokens)
    assert all(PAYLOAD.fullmatch(f"staff-{token}") for token in tokens)


def test_a_school_in_two_lists_is_stored_once(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    shared = distinct_codes(PO_2026) & distinct_codes(PO_2020)

    result = ouderbrug("schools", "import", str(PO_2020), str(PO_2026))

    assert result.code == 0, result.err
    assert len(stored(sessions)) == len(distinct_codes(PO_2020, PO_2026))
    assert f"{PO_2026}: 23 read, {23 - len(shared)} added" in result.out


def test_a_list_that_repeats_a_school_stores_its_last_listing(
    sessions: sessionmaker[Session],
) -> None:
    first, *_ = read_duo(PO_2020)
    renamed = dataclasses.replace(first, name="Renamed")

    with sessions.begin() as session:
        counts = import_schools(SqlSchools(session), [first, renamed], batch_size=10)

    assert (counts.added, counts.updated) == (1, 0)
    assert stored(sessions)[first.code].name == "Renamed"


def test_reimporting_updates_changed_schools_and_keeps_their_tokens(
    ouderbrug: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ouderbrug("schools", "import", str(PO_2020))
    before = stored(sessions)
    changed = tmp_path / "renamed.csv"
    original = PO_2020.read_bytes()
    changed.write_bytes(original.replace(b"Mr Vegter", b"Meester Vegter"))
    assert changed.read_bytes() != original

    result = ouderbrug("schools", "import", str(changed))

    assert result.code == 0, result.err
    assert f"{changed}: 15 read, 0 added, 1 updated" in result.out
    after = stored(sessions)
    assert set(after) == set(before)
    assert after["16BX00"].name == "Openbare Basisschool 2 Emmen Meester Vegter"
    assert {c: s.staff_token for c, s in after.items()} == {
        c: s.staff_token for c, s in before.items()
    }
    assert after["16AH00"].updated_at == before["16AH00"].updated_at


def test_reimporting_the_same_list_changes_nothing(ouderbrug: Cli) -> None:
    ouderbrug("schools", "import", str(PO_2026))

    result = ouderbrug("schools", "import", str(PO_2026))

    assert result.out.strip() == f"{PO_2026}: 23 read, 0 added, 0 updated"


def test_a_broken_list_names_file_and_line_and_imports_nothing(
    ouderbrug: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    lines = PO_2020.read_bytes().splitlines(keepends=True)
    broken.write_bytes(b"".join([*lines[:5], lines[1]]))

    result = ouderbrug("schools", "import", str(PO_2026), str(broken))

    assert result.code == 1
    assert f"{broken}, line 6: location code 16AH00 already appeared on line 2" in result.err
    assert "nothing was imported" in result.err
    assert result.out == ""
    assert "Traceback" not in result.err
    assert stored(sessions) == {}


def test_a_missing_file_is_reported_plainly(ouderbrug: Cli, tmp_path: Path) -> None:
    result = ouderbrug("schools", "import", str(tmp_path / "missing.csv"))

    assert result.code == 1
    assert result.err.startswith(f"Cannot read {tmp_path / 'missing.csv'}: No such file")


HEADER_2020 = PO_2020.read_bytes().splitlines(keepends=True)[0]
ROW_2020 = PO_2020.read_bytes().splitlines(keepends=True)[1]


def row_with(name: bytes = b"", code: bytes = b"") -> bytes:
    """Return the first 2020 row (16AH00, 't Eenspan) with its name or code replaced."""
    row = ROW_2020
    if name:
        row = row.replace(b"Openbare Basisschool 't Eenspan", name)
    if code:
        row = row.replace(b"16AH;16AH00;", code[:4] + b";" + code + b";")
    assert row != ROW_2020
    return row


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (HEADER_2020 + row_with(name=b"K" * 201), "line 2: VESTIGINGSNAAM has 201 characters"),
        (HEADER_2020 + row_with(name=b"De\x00Kubus"), "line 2: byte 0x00 (NUL)"),
        (HEADER_2020 + row_with(name=b"De\x01Kubus"), "line 2: VESTIGINGSNAAM holds the control"),
        (HEADER_2020 + row_with(code=b"ABCD99"), "line 2: 'ABCD' is not an institution code"),
        (HEADER_2020 + row_with(name=b"W" * 140_000), "line 2: a cell is longer than 128 KiB"),
        (bytes(range(256)) * 8, "line 1: byte 0x00 (NUL): this is not a text file"),
        (b"PK\x03\x04" + bytes(200), "line 1: this is an Excel workbook"),
        ("VESTIGINGSNAAM;PLAATS".encode("utf-16"), "line 1: the file is saved as UTF-16"),
        (b"", "line 1: the file is empty"),
        (HEADER_2020, "line 2: the file has a header but no school locations"),
        (b"\xef\xbb\xbf" + HEADER_2020 + row_with(name=b"\xc9\xe9n"), "byte 0xC9 is not valid"),
    ],
    ids=[
        "long-name", "nul", "control", "not-duo-code", "huge-cell", "binary", "xlsx",
        "utf-16", "empty", "header-only", "latin1-behind-bom",
    ],
)  # fmt: skip
def test_a_bad_list_is_a_plain_problem_and_imports_nothing(
    ouderbrug: Cli, sessions: sessionmaker[Session], tmp_path: Path, data: bytes, says: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(data)

    result = ouderbrug("schools", "import", str(PO_2026), str(bad))

    assert result.code == 1
    assert result.err.startswith(f"{bad}, line ")
    assert says in result.err
    assert result.err.endswith("nothing was imported.\n")
    assert "Traceback" not in result.err
    assert result.out == ""
    assert stored(sessions) == {}


def test_every_problem_of_every_list_is_reported_at_once(
    ouderbrug: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_bytes(HEADER_2020 + row_with(name=b"K" * 201) + row_with(code=b"ABCD99"))
    second.write_bytes(HEADER_2020)

    result = ouderbrug("schools", "import", str(first), str(PO_2020), str(second))

    assert result.code == 1
    assert result.err.splitlines()[:3] == [
        f"{first}, line 2: VESTIGINGSNAAM has 201 characters; at most 200 fit",
        f"{first}, line 3: 'ABCD' is not an institution code (BRIN): two digits and two "
        "letters, like 16AH",
        f"{second}, line 2: the file has a header but no school locations",
    ]
    assert stored(sessions) == {}


def test_latin1_and_utf8_with_a_bom_import_alike(
    ouderbrug: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    text = (HEADER_2020 + row_with(name="Één".encode("cp1252"))).decode("cp1252")
    latin1, utf8 = tmp_path / "latin1.csv", tmp_path / "utf8.csv"
    latin1.write_bytes(text.encode("latin-1"))
    utf8.write_bytes(text.encode("utf-8-sig"))

    assert ouderbrug("schools", "import", str(latin1)).code == 0
    result = ouderbrug("schools", "import", str(utf8))

    assert result.out.strip() == f"{utf8}: 1 read, 0 added, 0 updated"
    assert stored(sessions)["16AH00"].name == "Één"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_file_is_refused_without_filling_the_memory(ouderbrug: Cli) -> None:
    result = ouderbrug("schools", "import", "/dev/zero")

    assert result.code == 1
    assert result.err.startswith("/dev/zero, line 1: the file is over 64 MB")


def test_a_folder_is_not_a_list(ouderbrug: Cli, tmp_path: Path) -> None:
    result = ouderbrug("schools", "import", str(tmp_path))

    assert result.code == 1
    assert result.err.startswith(f"Cannot read {tmp_path}: Is a directory")


def test_python_m_bot_answers_a_binary_file_without_a_traceback(
    database_url: str, tmp_path: Path
) -> None:
    binary = tmp_path / "scholen.xlsx"
    binary.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT)}

    ran = subprocess.run(
        [sys.executable, "-m", "bot", "schools", "import", str(binary)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert ran.returncode == 1
    assert ran.stderr.startswith(f"{binary}, line 1: this is an Excel workbook, not a CSV list")
    assert "Traceback" not in ran.stderr


@pytest.mark.skipif(not NATIONAL.is_dir(), reason=f"no national DUO lists in {NATIONAL}")
def test_the_national_lists_import_completely(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    primary = NATIONAL / "alle-schoolvestigingen-basisonderwijs-2026.csv"
    secondary = NATIONAL / "duo_alle-vestigingen-vo.csv"

    result = ouderbrug("schools", "import", str(primary), str(secondary))

    assert result.code == 0, result.err
    assert f"{primary}: 6122 read, 6122 added, 0 updated" in result.out
    assert f"{secondary}: 1619 read, 1619 added, 0 updated" in result.out
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(School)) == 6122 + 1619
    again = ouderbrug("schools", "import", str(primary))
    assert again.out.strip() == f"{primary}: 6122 read, 0 added, 0 updated"


# Adding and listing


def test_add_stores_a_school_the_way_duo_writes_it(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    result = ouderbrug(
        "schools", "add", "99zz01", "--name", "Tijdelijke School", "--town", "Den Haag",
        "--postcode", "2511ab", "--phone", "0701234567",
    )  # fmt: skip

    assert result.code == 0, result.err
    assert result.out.strip() == "Added school 99ZZ01: Tijdelijke School, DEN HAAG."
    school = stored(sessions)["99ZZ01"]
    assert (school.town, school.postcode, school.phone, school.sector) == (
        "DEN HAAG",
        "2511 AB",
        "0701234567",
        "po",
    )
    assert PAYLOAD.fullmatch(f"staff-{school.staff_token}")


def test_add_on_an_existing_school_changes_only_what_is_given(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    ouderbrug("schools", "import", str(PO_2020))
    before = stored(sessions)["16AH00"]

    result = ouderbrug(
        "schools", "add", "16AH00", "--update", "--name", "OBS 't Eenspan", "--phone", "0591000000",
    )  # fmt: skip

    assert result.code == 0, result.err
    assert result.out.strip() == "Updated school 16AH00: OBS 't Eenspan, EMMEN."
    after = stored(sessions)["16AH00"]
    assert (after.name, after.phone) == ("OBS 't Eenspan", "0591000000")
    assert (after.street, after.website, after.town) == (before.street, before.website, "EMMEN")
    assert after.staff_token == before.staff_token


def test_add_on_an_existing_school_says_what_is_there_and_changes_nothing(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    ouderbrug("schools", "import", str(PO_2020))
    before = stored(sessions)["16AH00"]

    result = ouderbrug("schools", "add", "16ah00", "--name", "Typo School", "--town", "Emmen")

    assert result.code == 1
    assert result.err == (
        "School 16AH00 is already there: Openbare Basisschool 't Eenspan, EMMEN. "
        "Add --update to change it; nothing changed.\n"
    )
    assert stored(sessions)["16AH00"].name == before.name


def test_update_of_a_school_that_is_not_there_says_so(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    result = ouderbrug("schools", "add", "99ZZ01", "--update", "--phone", "0701234567")

    assert result.code == 1
    assert result.err == ("There is no school 99ZZ01 to update: leave out --update to add it.\n")
    assert stored(sessions) == {}


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (("--name", "   ", "--town", "Emmen"), "A school needs a name (--name)."),
        (("--name", "De Kubus", "--town", ""), "A school needs a town (--town)."),
        (("--name", "De Kubus"), "A school needs a town (--town)."),
        (("--name", "K" * 201, "--town", "Emmen"), "--name has 201 characters; at most 200 fit"),
        (("--name", "De\x00Kubus", "--town", "Emmen"), "--name holds the control character U+0000"),
        (("--name", "De Kubus", "--town", "E", "--postcode", "1" * 11), "--postcode has 11"),
    ],
)
def test_add_refuses_what_the_table_cannot_hold(
    ouderbrug: Cli, sessions: sessionmaker[Session], arguments: tuple[str, ...], says: str
) -> None:
    result = ouderbrug("schools", "add", "99ZZ01", *arguments)

    assert result.code == 1
    assert says in result.err
    assert "Traceback" not in result.err
    assert stored(sessions) == {}


def test_update_cannot_empty_the_name(ouderbrug: Cli, sessions: sessionmaker[Session]) -> None:
    ouderbrug("schools", "import", str(PO_2020))

    result = ouderbrug("schools", "add", "16AH00", "--update", "--name", " ")

    assert (result.code, result.err) == (1, "A school needs a name (--name).\n")
    assert stored(sessions)["16AH00"].name == "Openbare Basisschool 't Eenspan"


@pytest.mark.parametrize("code", ["16AH", "16AH000", "1AH00", "16A-00", "ZZZZZZ", "16ÄH00"])
def test_add_refuses_what_is_not_a_duo_code(
    ouderbrug: Cli, sessions: sessionmaker[Session], code: str
) -> None:
    result = ouderbrug("schools", "add", code, "--name", "X", "--town", "Y")

    assert result.code == 1
    assert "is not a DUO school code" in result.err
    assert stored(sessions) == {}


def test_list_shows_the_schools_of_a_town(ouderbrug: Cli) -> None:
    ouderbrug("schools", "import", str(PO_2020))

    result = ouderbrug("schools", "list", "--town", "emmen")

    lines = result.out.splitlines()
    assert result.code == 0
    assert lines[0].split() == ["code", "name", "town", "sector"]
    row = re.compile(r"16AH00\s+Openbare Basisschool 't Eenspan\s+EMMEN\s+po")
    assert any(row.fullmatch(line) for line in lines)
    assert all("EMMEN" in line for line in lines[1:-1])
    assert lines[-1] == f"{len(lines) - 2} schools"


def test_list_without_schools_says_how_to_get_them(ouderbrug: Cli) -> None:
    result = ouderbrug("schools", "list")

    assert result.out.strip() == "No schools yet: import a DUO list first."


# Links


@pytest.fixture
def emmen(ouderbrug: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Return the command line with the Emmen schools imported and the bot's name set."""
    ouderbrug("schools", "import", str(PO_2020))
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", BOT)
    return ouderbrug


def test_links_prints_both_links_labelled(
    emmen: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    token = stored(sessions)["16AH00"].staff_token

    result = emmen("schools", "links", "16ah00", "--output-dir", str(tmp_path / "qr"))

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    parent = lines.index("Ouderlink (openbaar, voor de brief aan ouders)")
    assert lines[parent + 1 : parent + 3] == [
        "Parent link (public, for the letter to parents)",
        f"  https://t.me/{BOT}?start=16AH00",
    ]
    staff = lines.index("Personeelslink (geheim: alleen voor het team)")
    assert lines[staff + 1 : staff + 3] == [
        "Staff link (secret: for the team only)",
        f"  https://t.me/{BOT}?start=staff-{token}",
    ]
    assert lines[0] == "16AH00 Openbare Basisschool 't Eenspan, EMMEN"
    assert lines[-1].endswith(str(tmp_path / "qr" / "16AH00-ouderlink.png"))


def test_links_writes_a_printable_qr_code_of_the_parent_link(emmen: Cli, tmp_path: Path) -> None:
    emmen("schools", "links", "16AH00", "--output-dir", str(tmp_path))
    png = tmp_path / "16AH00-ouderlink.png"
    url = f"https://t.me/{BOT}?start=16AH00"

    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    # Between 4 and 8 cm at 300 dpi: big enough to scan from paper, small enough for a letter.
    assert width == height
    assert 470 <= width <= 945
    # The image holds exactly segno's symbol for the link.
    qr = segno.make_qr(url, error="m")
    assert width % qr.symbol_size(scale=1)[0] == 0
    expected = tmp_path / "expected.png"
    qr.save(str(expected), kind="png", scale=width // qr.symbol_size(scale=1)[0], dpi=300)
    assert data == expected.read_bytes()


def test_the_qr_code_scans_as_the_parent_link(emmen: Cli, tmp_path: Path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")

    emmen("schools", "links", "16AH00", "--output-dir", str(tmp_path))

    with image.open(tmp_path / "16AH00-ouderlink.png") as picture:
        decoded = [barcode.text for barcode in zxingcpp.read_barcodes(picture)]
    assert decoded == [f"https://t.me/{BOT}?start=16AH00"]


def test_new_staff_link_replaces_the_old_one(
    emmen: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    old = stored(sessions)["16AH00"].staff_token

    result = emmen("schools", "links", "16AH00", "--new-staff-link", "--output-dir", str(tmp_path))

    new = stored(sessions)["16AH00"].staff_token
    assert result.code == 0, result.err
    assert new != old
    assert f"?start=staff-{new}" in result.out
    assert old not in result.out
    assert "de oude werkt niet meer" in result.out
    assert stored(sessions)["16BX00"].staff_token != new


def test_links_without_a_known_bot_username_says_what_to_do(ouderbrug: Cli, tmp_path: Path) -> None:
    ouderbrug("schools", "import", str(PO_2020))

    result = ouderbrug("schools", "links", "16AH00", "--output-dir", str(tmp_path))

    assert result.code == 1
    assert "The bot's username is not known yet" in result.err
    assert "ouderbrug run" in result.err
    assert "TELEGRAM_BOT_USERNAME" in result.err
    assert list(tmp_path.glob("*.png")) == []


def test_links_use_the_username_the_bot_remembered_at_start(
    ouderbrug: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ouderbrug("schools", "import", str(PO_2020))
    remember_username(sessions, "RememberedBot")

    result = ouderbrug("schools", "links", "16AH00", "--output-dir", str(tmp_path))

    assert result.code == 0, result.err
    assert "https://t.me/RememberedBot?start=16AH00" in result.out


def test_the_username_setting_wins_over_the_remembered_one(
    emmen: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    remember_username(sessions, "RememberedBot")

    result = emmen("schools", "links", "16AH00", "--output-dir", str(tmp_path))

    assert f"https://t.me/{BOT}?start=16AH00" in result.out
    assert "RememberedBot" not in result.out


def test_links_with_a_wrong_bot_username_says_so(
    ouderbrug: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "my bot")

    result = ouderbrug("schools", "links", "16AH00")

    assert result.code == 1
    assert "TELEGRAM_BOT_USERNAME 'my bot' is not a Telegram bot username" in result.err


def test_a_qr_code_that_cannot_be_written_keeps_the_old_staff_link(
    emmen: Cli, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    old = stored(sessions)["16AH00"].staff_token
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")

    result = emmen(
        "schools", "links", "16AH00", "--new-staff-link", "--output-dir", str(not_a_folder)
    )

    assert result.code == 1
    assert result.err.startswith("Cannot write the QR code to")
    assert "Traceback" not in result.err
    assert stored(sessions)["16AH00"].staff_token == old


def test_links_of_an_unknown_school_says_so(emmen: Cli, tmp_path: Path) -> None:
    result = emmen("schools", "links", "99ZZ99", "--output-dir", str(tmp_path))

    assert (result.code, result.err) == (1, "There is no school with code '99ZZ99'.\n")


# The real entry point


def test_python_m_bot_runs_the_schools_commands(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT)}
    env.pop("TELEGRAM_BOT_USERNAME", None)

    imported = subprocess.run(
        [sys.executable, "-m", "bot", "schools", "import", str(PO_2026)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    listed = subprocess.run(
        [sys.executable, "-m", "bot", "schools", "list", "--town", "assen"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert (imported.returncode, imported.stderr) == (0, "")
    assert imported.stdout.strip() == f"{PO_2026}: 23 read, 23 added, 0 updated"
    assert listed.returncode == 0
    assert "ASSEN" in listed.stdout


# Payload rules: what Telegram allows after ?start=, and what the bot accepts on /start

codes = st.from_regex(SCHOOL_CODE, fullmatch=True)
tokens = st.builds(lambda _: new_staff_token(), st.integers())


@given(codes)
def test_every_parent_payload_is_valid_and_reads_back_as_its_school(code: str) -> None:
    payload = parent_payload(code)

    assert RULE.fullmatch(payload)
    assert parse_payload(payload) == ParentLink(code)


@given(tokens)
def test_every_staff_payload_is_valid_and_reads_back_as_its_token(token: str) -> None:
    payload = staff_payload(token)

    assert RULE.fullmatch(payload)
    assert parse_payload(payload) == StaffLink(token)


@given(st.text())
def test_nothing_outside_the_rules_is_ever_accepted(text: str) -> None:
    if parse_payload(text) is not None:
        assert RULE.fullmatch(text)


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "16ah00",
        "16AH00 ",
        "16AH00\n",
        "16AH00;DROP TABLE schools",
        "../16AH00",
        "١٦AH00",
        "16AH00" + "0" * 59,
        "staff-",
        "staff-short",
        "staff-" + "a" * 59,
        "staff-" + "a" * 31 + "=",
        "staff-" + "a" * 31 + "é",
        "STAFF-" + "a" * 32,
        "hello",
    ],
)
def test_hostile_payloads_are_rejected(payload: str) -> None:
    assert parse_payload(payload) is None


@pytest.mark.parametrize("code", ["16AH", "ZZ0000", "16AH00;", ""])
def test_parent_payload_refuses_what_is_not_a_school_code(code: str) -> None:
    with pytest.raises(ValueError, match="is not a DUO school code"):
        parent_payload(code)


def test_deep_link_builds_the_t_me_link() -> None:
    assert deep_link("@OuderbrugBot", "16AH00") == "https://t.me/OuderbrugBot?start=16AH00"


@pytest.mark.parametrize(
    ("username", "payload"),
    [
        ("Ouderbrug Bot", "16AH00"),
        ("bot", "16AH00"),
        ("OuderbrugBot", "16AH00&x=1"),
        ("OuderbrugBot", ""),
    ],
)
def test_deep_link_refuses_what_telegram_would_not_take(username: str, payload: str) -> None:
    with pytest.raises(ValueError, match="is not a"):
        deep_link(username, payload)
