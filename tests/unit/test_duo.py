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
