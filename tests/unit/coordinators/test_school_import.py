"""Importing DUO lists (`ouderbrug schools import`) on the fake unit of work."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.coordinators.schools import import_lists
from bot.schools.duo import School as DuoSchool
from bot.schools.importer import ImportCounts, import_schools
from tests.unit.staff.world import HERE, HERE_TOKEN, THERE, THERE_TOKEN, build

FIRST, SECOND = Path("po.csv"), Path("vo.csv")


def duo(code: str, name: str, town: str = "UTRECHT") -> DuoSchool:
    return DuoSchool(
        code=code,
        name=name,
        street="Schoolstraat",
        house_number="1a",
        postcode="3511AB",
        town=town,
        municipality="Utrecht",
        phone="0301234567",
        website="https://school.example.org",
        sector="po",
    )


def test_each_list_is_counted_and_every_duo_column_is_stored() -> None:
    world = build()
    new = duo("18CD02", "De Linde")
    listed = duo(THERE, "Het Anker", "ZWOLLE")

    counted = import_lists(world.uow, [(FIRST, [new]), (SECOND, [new, listed])])

    assert [(path, str(counts)) for path, counts in counted] == [
        (FIRST, "1 read, 1 added, 0 updated"),
        (SECOND, "2 read, 0 added, 1 updated"),
    ]
    for school in (new, listed):
        stored = world.uow.schools.get(school.code)
        assert stored is not None
        for field in dataclasses.fields(DuoSchool):
            assert getattr(stored, field.name) == getattr(school, field.name), field.name
    added = world.uow.schools.get(new.code)
    assert added is not None
    assert added.staff_token not in ("", HERE_TOKEN, THERE_TOKEN)
    assert world.uow.schools.by_staff_token(THERE_TOKEN) is world.uow.schools.get(THERE)
    unlisted = world.uow.schools.get(HERE)
    assert unlisted is not None
    assert (unlisted.name, unlisted.staff_token) == ("De Regenboog", HERE_TOKEN)


def test_reimporting_an_unchanged_list_changes_nothing() -> None:
    world = build()
    schools = [duo(HERE, "De Regenboog"), duo("18CD02", "De Linde")]
    import_lists(world.uow, [(FIRST, schools)])
    tokens = {school.code: school.staff_token for school in world.uow.schools.schools}

    (_, again), *_ = import_lists(world.uow, [(FIRST, schools)])

    assert again == ImportCounts(2, 0, 0)
    assert {school.code: school.staff_token for school in world.uow.schools.schools} == tokens


def test_counts_add_up_over_batches_and_a_repeated_school_keeps_its_last_listing() -> None:
    world = build()
    schools = [duo(f"18CD{n:02}", f"School {n}") for n in range(5)]
    renamed = dataclasses.replace(schools[0], name="Renamed")

    counts = import_schools(world.uow.schools, [*schools, renamed], batch_size=2)

    # The repeat falls in a later batch than the first listing: it is an update there.
    assert counts == ImportCounts(6, 5, 1)
    first = world.uow.schools.get(schools[0].code)
    assert first is not None
    assert first.name == "Renamed"
    together = import_schools(world.uow.schools, [schools[1], renamed, schools[1]])
    assert together == ImportCounts(3, 0, 0)
