"""What the engine is offered when a parent looks a school up."""

from __future__ import annotations

import pytest

from bot.engine.state import SchoolMatch
from bot.schools.directory import IndexDirectory, display_town
from bot.schools.duo import School
from bot.schools.search import SchoolIndex


@pytest.mark.parametrize(
    ("duo", "shown"),
    [
        ("'S-GRAVENHAGE", "'s-Gravenhage"),
        ("CAPELLE AAN DEN IJSSEL", "Capelle aan den IJssel"),
        ("HOORN NH", "Hoorn NH"),
        ("BERGEN OP ZOOM", "Bergen op Zoom"),
        ("DEN HELDER", "Den Helder"),
        ("NOORD-SCHARWOUDE", "Noord-Scharwoude"),
    ],
)
def test_towns_are_shown_in_normal_case(duo: str, shown: str) -> None:
    assert display_town(duo) == shown


def school(code: str, name: str, town: str) -> School:
    return School(code, name, None, None, None, town, None, None, None, "po")


def test_searches_and_gets_return_engine_matches() -> None:
    directory = IndexDirectory(
        SchoolIndex(
            [school("16AH00", "De Regenboog", "UTRECHT"), school("17BX01", "Het Anker", "ZWOLLE")]
        )
    )
    assert directory.search("regenboog", 5)[0] == SchoolMatch("16AH00", "De Regenboog", "Utrecht")
    assert directory.get("17bx01") == SchoolMatch("17BX01", "Het Anker", "Zwolle")
    assert directory.get("99ZZ99") is None
