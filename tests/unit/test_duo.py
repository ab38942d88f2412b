"""Reading DUO's open-data lists of school locations."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.schools import DuoFormatError, School, read_duo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "duo"
PRIMARY_2026 = FIXTURES / "basisonderwijs-2026-extract.csv"
PRIMARY_2020 = FIXTURES / "vestigingen-bo-2020-extract.csv"
SECONDARY_2020 = FIXTURES / "vestigingen-vo-2020-extract.csv"

# The full lists live next to the repository (see ../shared/data/README.md), not in it.
REAL_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "duo"

# The smallest header DUO could send: the columns read_duo needs, 2020 names.
MINIMAL_HEADER = (
    "BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;"
    "POSTCODE;PLAATSNAAM;GEMEENTENAAM;TELEFOONNUMMER;INTERNETADRES"
)
KUBUS = "16NR;16NR00;De Kubus;Houtweg;403;7823 PS;EMMEN;EMMEN;0591622100;www.obs-kubus.nl"


def duo_file(*lines: str, name: str = "vestigingen.csv") -> io.BytesIO:
    """Return an in-memory cp1252 DUO file with these lines."""
    data = io.BytesIO("\r\n".join(lines).encode("cp1252") + b"\r\n")
    data.name = name
    return data


def by_code(schools: list[School]) -> dict[str, School]:
    """Return the schools keyed by their code."""
    return {school.code: school for school in schools}


def test_reads_the_2026_header_set() -> None:
    schools = list(read_duo(PRIMARY_2026))

    assert len(schools) == 23
    assert schools[0] == School(
        code="32JK00",
        name="BBS de Verwondering",
        street="Melkweg",
        house_number="13",
        postcode="9306 TC",
        town="ALTEVEER GEM NOORDENVELD",
        municipality="NOORDENVELD",
        phone=None,
        website=None,
        sector="po",
    )


def test_reads_the_2020_header_set() -> None:
    schools = list(read_duo(PRIMARY_2020))

    assert len(schools) == 15
    assert schools[0] == School(
        code="16AH00",
        name="Openbare Basisschool 't Eenspan",
        street="Oosterstraat",
        house_number="58",
        postcode="7822 HG",
        town="EMMEN",
        municipality="EMMEN",
        phone="0591659840",
        website="www.obs-eenspan.nl",
        sector="po",
    )


def test_a_list_with_education_structure_is_secondary() -> None:
    schools = list(read_duo(SECONDARY_2020))

    assert len(schools) == 13
    assert {school.sector for school in schools} == {"vo"}


def test_the_sector_can_be_given_for_a_list_that_does_not_say() -> None:
    schools = list(read_duo(PRIMARY_2026, sector="vo"))

    assert {school.sector for school in schools} == {"vo"}


@pytest.mark.parametrize("path", [PRIMARY_2026, PRIMARY_2020, SECONDARY_2020])
def test_location_codes_start_with_their_institution_code(path: Path) -> None:
    for school in read_duo(path):
        assert len(school.code) == 6
        assert school.institution_code == school.code[:4]


def test_locations_of_one_institution_keep_their_own_codes() -> None:
    schools = by_code(list(read_duo(SECONDARY_2020)))

    assert schools["18BR00"].street == "Zwartwatersweg"
    assert schools["18BR01"].street == "Bosrand"
    assert schools["18BR01"].institution_code == "18BR"


def test_padded_and_blank_cells_become_none() -> None:
    secondary = by_code(list(read_duo(SECONDARY_2020)))
    primary = by_code(list(read_duo(PRIMARY_2026)))

    # DUO pads an empty phone with ten spaces and an empty website with eighty.
    assert secondary["18BR01"].phone is None
    assert secondary["18BR01"].website is None
    # Two 2026 locations in Veghel have " " for their municipality.
    assert primary["32LY00"].municipality is None
    assert primary["32LY00"].website == "buitenwijs.verdi.nl"


def test_inner_runs_of_spaces_collapse() -> None:
    schools = by_code(list(read_duo(SECONDARY_2020)))

    assert schools["03XF04"].name == "Mundium College SGM v LYC HAVO MAVO LWOO locatie Niekée"


def test_cp1252_characters_read_as_the_school_writes_them() -> None:
    names = {school.name for school in read_duo(PRIMARY_2026)}

    assert "Dalton Kindcentrum ’t Kompas" in names
    assert "IKC 't Oelebröd" in names
    assert "Christelijke Basisschool Wrâldwizer" in names


def test_a_quoted_name_with_quotes_inside_reads_whole() -> None:
    schools = by_code(list(read_duo(PRIMARY_2020)))

    assert schools["00AR00"].name == 'Basisschool "De Maasparel"'


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_a_list_resaved_as_utf8_reads_the_same(encoding: str) -> None:
    resaved = PRIMARY_2026.read_bytes().decode("cp1252").encode(encoding)

    assert list(read_duo(io.BytesIO(resaved))) == list(read_duo(PRIMARY_2026))


def test_reads_from_a_path_string_and_an_open_binary_file() -> None:
    with PRIMARY_2020.open("rb") as fileobj:
        from_file = list(read_duo(fileobj))

    assert from_file == list(read_duo(str(PRIMARY_2020)))


def test_codes_are_upper_case_and_unpadded() -> None:
    (school,) = read_duo(duo_file(MINIMAL_HEADER, " 16nr ;16nr00  ;De Kubus;;;;EMMEN;;;"))

    assert school.code == "16NR00"


def test_a_bare_location_number_joins_its_institution_code() -> None:
    (school,) = read_duo(duo_file(MINIMAL_HEADER, "16NR;01;De Kubus;;;;EMMEN;;;"))

    assert school.code == "16NR01"


def test_a_postcode_without_its_space_is_written_the_usual_way() -> None:
    (school,) = read_duo(duo_file(MINIMAL_HEADER, "16NR;16NR00;De Kubus;;;7823ps;EMMEN;;;"))

    assert school.postcode == "7823 PS"


def test_fully_empty_rows_are_skipped() -> None:
    schools = list(read_duo(duo_file(MINIMAL_HEADER, ";;;;;;;;;", KUBUS, "", " ; ; ;;;;;;;")))

    assert [school.code for school in schools] == ["16NR00"]


def test_a_missing_column_names_the_file_line_and_column() -> None:
    header, rest = PRIMARY_2026.read_bytes().split(b"\r\n", 1)
    damaged = io.BytesIO(header.replace(b";PLAATSNAAM;", b";PLAATS;") + b"\r\n" + rest)
    damaged.name = "scholen.csv"

    with pytest.raises(
        DuoFormatError, match=r"^scholen\.csv, line 1: missing column\(s\) PLAATSNAAM$"
    ):
        list(read_duo(damaged))


def test_a_row_without_a_code_names_its_line() -> None:
    source = duo_file(MINIMAL_HEADER, KUBUS, "16NR; ;De Kubus 2;;;;EMMEN;;;")

    with pytest.raises(
        DuoFormatError, match=r"^vestigingen\.csv, line 3: the row has no location code$"
    ):
        list(read_duo(source))


def test_a_row_without_a_name_names_its_line() -> None:
    source = duo_file(MINIMAL_HEADER, "16NR;16NR00; ;;;;EMMEN;;;")

    with pytest.raises(DuoFormatError, match=r"line 2: location 16NR00 has no name"):
        list(read_duo(source))


def test_a_location_code_of_another_institution_is_refused() -> None:
    source = duo_file(MINIMAL_HEADER, "16NR;17UC00;De Kubus;;;;EMMEN;;;")

    with pytest.raises(DuoFormatError, match=r"line 2: .*17UC00 does not belong to .*16NR"):
        list(read_duo(source))


def test_a_code_listed_twice_names_both_lines() -> None:
    source = duo_file(MINIMAL_HEADER, KUBUS, KUBUS)

    with pytest.raises(
        DuoFormatError, match=r"line 3: location code 16NR00 already appeared on line 2"
    ):
        list(read_duo(source))


def test_a_short_row_names_its_line() -> None:
    source = duo_file(MINIMAL_HEADER, "16NR;16NR00;De Kubus;Houtweg")

    with pytest.raises(DuoFormatError, match=r"line 2: the row has 4 fields but the header has 10"):
        list(read_duo(source))


def test_a_comma_separated_file_gets_a_hint() -> None:
    source = duo_file(MINIMAL_HEADER.replace(";", ","), KUBUS.replace(";", ","))

    with pytest.raises(DuoFormatError, match=r"line 1: .*should be separated by ';'"):
        list(read_duo(source))


def test_another_kind_of_list_is_refused() -> None:
    source = duo_file("NAAM;PLAATS", "De Kubus;EMMEN")

    with pytest.raises(DuoFormatError, match=r"line 1: this is not a DUO list of school locations"):
        list(read_duo(source))


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(DuoFormatError, match=r"line 1: the file is empty"):
        list(read_duo(io.BytesIO(b"")))


def test_a_byte_that_no_encoding_explains_names_its_line() -> None:
    # 0x81 has no meaning in cp1252 and cannot start a UTF-8 character.
    data = (MINIMAL_HEADER + "\r\n" + KUBUS + "\r\n").encode("cp1252") + b"16AH;16AH00;Eenspan\x81"
    source = io.BytesIO(data)

    with pytest.raises(DuoFormatError, match=r"line 3: byte 0x81 is not valid cp1252"):
        list(read_duo(source))


def test_the_error_is_a_value_error_with_its_parts() -> None:
    with pytest.raises(ValueError, match="line 1") as caught:
        list(read_duo(duo_file("NAAM;PLAATS", name="lijst.csv")))

    assert isinstance(caught.value, DuoFormatError)
    assert (caught.value.source, caught.value.line) == ("lijst.csv", 1)


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="the full DUO lists are not next to the repo")
@pytest.mark.parametrize(
    ("name", "rows", "sector"),
    [
        ("alle-schoolvestigingen-basisonderwijs-2026.csv", 6122, "po"),
        ("duo_alle-vestigingen-bo.csv", 6268, "po"),
        ("duo_alle-vestigingen-vo.csv", 1619, "vo"),
    ],
)
def test_the_full_real_lists_read_completely(name: str, rows: int, sector: str) -> None:
    schools = list(read_duo(REAL_DATA / name))

    assert len(schools) == rows
    assert len({school.code for school in schools}) == rows
    assert {school.sector for school in schools} == {sector}
    assert all(school.name and school.town for school in schools)


# Files that are not what they claim: each gets a plain answer naming file and line.


def kubus(**cells: str) -> str:
    """Return the Kubus row with some of its cells replaced, by column position name."""
    row = KUBUS.split(";")
    positions = {"institution": 0, "location": 1, "name": 2, "street": 3, "website": 9}
    for field, value in cells.items():
        row[positions[field]] = value
    return ";".join(row)


def problems_of(source: io.BytesIO) -> list[str]:
    with pytest.raises(DuoFormatError) as caught:
        read_duo(source)
    return str(caught.value).splitlines()


@pytest.mark.parametrize(
    ("institution", "location"),
    [("ABCD", "ABCD99"), ("16NR", "16NR0A"), ("1234", "123400"), ("", "ABCD99"), ("", "16NR")],
)
def test_a_code_that_is_not_duo_shaped_is_refused(institution: str, location: str) -> None:
    source = duo_file(MINIMAL_HEADER, kubus(institution=institution, location=location))

    (problem,) = problems_of(source)

    assert problem.startswith("vestigingen.csv, line 2: ")
    assert "like 16AH" in problem


def test_every_real_code_has_the_duo_shape() -> None:
    # Two digits and two letters (the institution), two digits (the location).
    codes = [school.code for path in FIXTURES.glob("*.csv") for school in read_duo(path)]

    assert codes
    assert all(len(c) == 6 and c[:2].isdigit() and c[2:4].isalpha() for c in codes)
    assert all(c[4:].isdigit() for c in codes)


def test_a_name_longer_than_the_table_holds_is_refused() -> None:
    source = duo_file(MINIMAL_HEADER, kubus(name="K" * 201))

    assert problems_of(source) == [
        "vestigingen.csv, line 2: VESTIGINGSNAAM has 201 characters; at most 200 fit"
    ]


def test_a_name_of_exactly_the_limit_is_read() -> None:
    (school,) = read_duo(duo_file(MINIMAL_HEADER, kubus(name="K" * 200)))

    assert school.name == "K" * 200


def test_the_limits_are_the_schools_table_s_column_sizes() -> None:
    from bot.schools.duo import FIELD_LIMITS
    from bot.storage.models import School as SchoolRow

    columns = SchoolRow.__table__.columns
    sizes = {field: getattr(columns[field].type, "length", None) for field in FIELD_LIMITS}
    assert sizes == FIELD_LIMITS


def test_a_control_character_in_a_cell_is_refused() -> None:
    source = duo_file(MINIMAL_HEADER, kubus(street="Hout\x01weg"))

    assert problems_of(source) == [
        "vestigingen.csv, line 2: STRAATNAAM holds the control character U+0001"
    ]


def test_a_nul_byte_is_refused_with_its_line() -> None:
    source = duo_file(MINIMAL_HEADER, KUBUS, kubus(location="16NR01", name="De\x00Kubus"))

    (problem,) = problems_of(source)

    assert problem.startswith("vestigingen.csv, line 3: ")
    assert "NUL" in problem


def test_a_cell_over_the_csv_field_limit_is_a_plain_problem() -> None:
    source = duo_file(MINIMAL_HEADER, KUBUS, kubus(location="16NR01", website="w" * 140_000))

    (problem,) = problems_of(source)

    assert problem.startswith("vestigingen.csv, line 3: ")
    assert "128 KiB" in problem


def test_problems_before_a_cell_over_the_limit_are_reported_too() -> None:
    source = duo_file(
        MINIMAL_HEADER, kubus(name=""), kubus(location="16NR01", website="w" * 140_000)
    )

    problems = problems_of(source)

    assert problems[0] == "vestigingen.csv, line 2: location 16NR00 has no name (VESTIGINGSNAAM)"
    assert problems[1].startswith("vestigingen.csv, line 3: a cell is longer than 128 KiB")


def test_every_problem_of_a_row_is_reported() -> None:
    source = duo_file(MINIMAL_HEADER, kubus(name="K" * 201, street="S" * 201))

    assert problems_of(source) == [
        "vestigingen.csv, line 2: VESTIGINGSNAAM has 201 characters; at most 200 fit",
        "vestigingen.csv, line 2: STRAATNAAM has 201 characters; at most 200 fit",
    ]


def test_every_bad_row_is_reported_not_only_the_first() -> None:
    rows = [kubus(location=f"16NR{n:02}", name="") for n in range(3)]

    assert problems_of(duo_file(MINIMAL_HEADER, *rows)) == [
        f"vestigingen.csv, line {n + 2}: location 16NR{n:02} has no name (VESTIGINGSNAAM)"
        for n in range(3)
    ]


def test_a_very_broken_file_reports_a_sensible_number_of_problems() -> None:
    rows = [kubus(location=f"16NR{n:02}", name="") for n in range(50)]

    problems = problems_of(duo_file(MINIMAL_HEADER, *rows))

    assert len(problems) == 21
    assert problems[-1] == "… and 30 more problems in vestigingen.csv."


def test_a_file_with_only_a_header_is_refused() -> None:
    assert problems_of(duo_file(MINIMAL_HEADER)) == [
        "vestigingen.csv, line 2: the file has a header but no school locations"
    ]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "Excel workbook"),
        (MINIMAL_HEADER.encode("utf-16"), "UTF-16"),
        (bytes(range(256)) * 4, "not a text file"),
        (b"   \r\n\r\n", "the file is empty"),
    ],
)
def test_garbage_gets_a_plain_answer(data: bytes, says: str) -> None:
    source = io.BytesIO(data)
    source.name = "lijst.csv"

    (problem,) = problems_of(source)

    assert problem.startswith("lijst.csv, line ")
    assert says in problem


def test_latin1_and_utf8_with_a_bom_read_the_same() -> None:
    row = kubus(name="Basisschool Één")
    latin1 = io.BytesIO(f"{MINIMAL_HEADER}\r\n{row}\r\n".encode("latin-1"))
    utf8 = io.BytesIO(f"{MINIMAL_HEADER}\r\n{row}\r\n".encode("utf-8-sig"))

    from_utf8 = read_duo(utf8)
    assert read_duo(latin1) == from_utf8
    assert from_utf8[0].name == "Basisschool Één"


def test_latin1_bytes_behind_a_utf8_bom_name_their_line() -> None:
    data = b"\xef\xbb\xbf" + f"{MINIMAL_HEADER}\r\n{kubus(name='Één')}\r\n".encode("latin-1")

    (problem,) = problems_of(io.BytesIO(data))

    assert "line 2: byte 0xC9 is not valid utf-8;" in problem
