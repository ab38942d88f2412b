"""Finding the school a parent means from what they type."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.schools import School, SchoolIndex, read_duo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "duo"
REAL_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "duo"


@pytest.fixture(scope="module")
def index() -> SchoolIndex:
    """Return an index of real primary (2026) and secondary (2020) extracts."""
    return SchoolIndex(
        [
            *read_duo(FIXTURES / "basisonderwijs-2026-extract.csv"),
            *read_duo(FIXTURES / "vestigingen-vo-2020-extract.csv"),
        ]
    )


def codes(schools: list[School]) -> list[str]:
    """Return the codes of the schools, in order."""
    return [school.code for school in schools]


def first(index: SchoolIndex, query: str) -> str:
    """Return the code of the best match for a query."""
    found = index.search(query)
    assert found, f"nothing found for {query!r}"
    return found[0].code


def test_name_and_town_find_the_school(index: SchoolIndex) -> None:
    assert first(index, "de regenboog utrecht") == "17UC00"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("de regenboog utrecht", "17UC00"),
        ("regenboog assen", "09KO00"),
        ("regenboog slagharen", "13FW00"),
        ("De Regenboog 's-Gravenhage", "13ZY00"),
        ("regenboog den haag", "13ZY00"),
        ("regenboog apeldoorn", "24BF00"),
        ("al amana zeist", "31LM00"),
        ("al amana nijkerk", "32HE00"),
    ],
)
def test_the_town_decides_between_schools_with_the_same_name(
    index: SchoolIndex, query: str, code: str
) -> None:
    assert first(index, query) == code


def test_a_town_with_two_such_schools_offers_both(index: SchoolIndex) -> None:
    assert set(codes(index.search("de regenboog rotterdam"))[:2]) == {"17CM00", "09CW00"}


def test_the_kind_of_school_decides_within_a_town(index: SchoolIndex) -> None:
    assert first(index, "cbs regenboog rotterdam") == "09CW00"


def test_the_kind_of_school_counts_a_little(index: SchoolIndex) -> None:
    assert first(index, "obs de regenboog") == "13FW00"


def test_generic_school_words_do_not_outweigh_the_name(index: SchoolIndex) -> None:
    found = index.search("rooms katholieke basisschool de regenboog", limit=10)

    # St Jozef shares every generic word but is not a Regenboog.
    assert "16BR00" not in codes(found)
    assert found
    assert all("regenboog" in school.name.casefold() for school in found)


def test_words_that_only_describe_a_kind_of_school_find_nothing(index: SchoolIndex) -> None:
    assert index.search("openbare basisschool") == []


def test_a_name_alone_offers_every_school_with_that_name(index: SchoolIndex) -> None:
    found = index.search("al amana", limit=10)

    assert set(codes(found)) == {"24ZJ00", "31LM00", "32HE00"}


def test_part_of_a_name_finds_the_school(index: SchoolIndex) -> None:
    assert first(index, "maasparel") == "00AR00"
    assert first(index, "rietveld") == "14OY00"


def test_a_shorter_name_ranks_before_a_longer_one_that_also_matches(index: SchoolIndex) -> None:
    found = codes(index.search("regenboog", limit=10))

    # "PCBO Regenboog-Woudhuis" says more than the parent typed.
    assert found[-1] == "24BF00"


def test_a_name_match_beats_a_town_match(index: SchoolIndex) -> None:
    # No Al Amana in Rotterdam: the Al Amana schools elsewhere come before
    # the Rotterdam schools with other names.
    found = codes(index.search("Al Amana Rotterdam"))

    assert set(found[:3]) == {"24ZJ00", "31LM00", "32HE00"}


def test_a_town_alone_lists_the_schools_of_that_town_then_its_municipality(
    index: SchoolIndex,
) -> None:
    found = index.search("Utrecht", limit=20)

    assert len(found) == 9
    assert {school.municipality for school in found} == {"UTRECHT"}
    # Vleuten lies in the municipality of Utrecht, not in the town.
    assert found[-1].town == "VLEUTEN"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("regenbog utrect", "17UC00"),
        ("de regenbooog in utrech", "17UC00"),
        ("al amama zeist", "31LM00"),
        ("oelebrot", "10UN00"),
        ("mariendal", "00TQ00"),
        ("gerit rietvelt", "14OY00"),
    ],
)
def test_misspellings_still_find_the_school(index: SchoolIndex, query: str, code: str) -> None:
    assert first(index, query) == code


def test_a_name_typed_halfway_finds_it(index: SchoolIndex) -> None:
    assert first(index, "maaspa") == "00AR00"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("oelebrod", "10UN00"),
        ("IKC 't Oelebröd", "10UN00"),
        ("wraldwizer", "07JQ00"),
        ("mariëndael", "00TQ00"),
        ("mariendael", "00TQ00"),
        ("niekee roermond", "03XF04"),
        ("bahurim", "20FR08"),
        ("ijsselcollege capelle", "20BH02"),
    ],
)
def test_accents_and_case_do_not_matter(index: SchoolIndex, query: str, code: str) -> None:
    assert first(index, query) == code


def test_accents_in_the_query_match_names_without_them() -> None:
    cafe = School("99ZZ00", "Cafe de Kroon", None, None, None, "ZWOLLE", None, None, None, "po")
    creche = replace(cafe, code="99ZZ01", name="Crèche Zonnestraal")
    index = SchoolIndex([cafe, creche])

    assert codes(index.search("Café")) == ["99ZZ00"]
    assert codes(index.search("creche")) == ["99ZZ01"]


@pytest.mark.parametrize(
    "query",
    ["Sint-Jozef Arnhem", "st jozef arnhem", "St. Jozef, Arnhem", "sint jozef arnhem"],
)
def test_ways_of_writing_sint_are_the_same(index: SchoolIndex, query: str) -> None:
    assert first(index, query) == "16BR00"


def test_a_name_glued_to_school_matches_it_written_apart(index: SchoolIndex) -> None:
    assert first(index, "jozef school weesp") == "31KB00"
    assert first(index, "lukas school") == "16HF00"


def test_a_misspelled_compound_still_finds_the_school(index: SchoolIndex) -> None:
    assert first(index, "lukasscool amsterdam") == "16HF00"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        # DUO writes "Kon Julianasch" and "Chr Basissch Het Kompas".
        ("julianaschool kollum", "09YZ00"),
        ("basisschool het kompas heerenveen", "17MX00"),
    ],
)
def test_names_that_duo_abbreviates_are_found_written_out(
    index: SchoolIndex, query: str, code: str
) -> None:
    assert first(index, query) == code


def test_misspelled_generic_words_stay_generic(index: SchoolIndex) -> None:
    found = codes(index.search("chrisitelijke basisscool de regenboog", limit=10))

    # Both christelijke Regenboog schools come first, DUO's own "Christelyke"
    # in Holten among them, as the query's misspellings and DUO's are generic.
    assert set(found[:2]) == {"10KQ00", "09CW00"}
    assert index.search("christelijke basisscool") == []


@pytest.mark.parametrize("query", ["16BR00", "16br00", " 16 br 00 ", "16BR-00"])
def test_a_typed_code_finds_that_school(index: SchoolIndex, query: str) -> None:
    assert codes(index.search(query)) == ["16BR00"]


def test_an_institution_code_lists_its_locations(index: SchoolIndex) -> None:
    assert codes(index.search("18br")) == ["18BR00", "18BR01"]
    assert codes(index.search("01KF99")) == ["01KF00", "01KF04"]


def test_get_looks_a_code_up_as_typed(index: SchoolIndex) -> None:
    school = index.get(" 17uc00 ")

    assert school is not None
    assert school.name == "De Regenboog"
    assert index.get("99ZZ99") is None


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "de", "'t"])
def test_an_empty_query_finds_nothing(index: SchoolIndex, query: str) -> None:
    assert index.search(query) == []


@pytest.mark.parametrize("query", ["xyzzy", "مدرسة", "😀"])
def test_words_no_school_has_find_nothing(index: SchoolIndex, query: str) -> None:
    assert index.search(query) == []


def test_results_stop_at_the_limit(index: SchoolIndex) -> None:
    assert len(index.search("utrecht", limit=3)) == 3
    assert index.search("regenboog", limit=0) == []


def test_equally_good_schools_come_in_town_order(index: SchoolIndex) -> None:
    towns = [school.town or "" for school in index.search("al amana", limit=10)]

    assert towns == sorted(towns)


def test_the_same_code_twice_is_refused() -> None:
    primary_2020 = read_duo(FIXTURES / "vestigingen-bo-2020-extract.csv")
    primary_2026 = read_duo(FIXTURES / "basisonderwijs-2026-extract.csv")

    with pytest.raises(ValueError, match="appears twice"):
        SchoolIndex([*primary_2020, *primary_2026])


@pytest.fixture(scope="module")
def national_index() -> SchoolIndex:
    """Return an index of every primary (2026) and secondary (2020) school."""
    if not REAL_DATA.is_dir():
        pytest.skip("the full DUO lists are not next to the repo")
    return SchoolIndex(
        [
            *read_duo(REAL_DATA / "alle-schoolvestigingen-basisonderwijs-2026.csv"),
            *read_duo(REAL_DATA / "duo_alle-vestigingen-vo.csv"),
        ]
    )


@pytest.mark.parametrize(
    ("query", "code"),
    [
        # Among about ninety schools called De Regenboog.
        ("de regenboog utrecht", "17UC00"),
        ("regenbog utrect", "17UC00"),
        ("al amana zuilen", "24ZJ00"),
        ("Sint-Jozef Arnhem", "16BR00"),
        ("jozefschool weesp", "31KB00"),
        ("stedelijk gymnasium utrecht", "15JM00"),
    ],
)
def test_the_national_list_finds_the_school(
    national_index: SchoolIndex, query: str, code: str
) -> None:
    assert first(national_index, query) == code
