"""Coordinators keep the list of schools: import DUO lists, add or change one, list them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.schools.duo import School as DuoSchool
from bot.schools.importer import ImportCounts, import_schools
from bot.schools.links import new_staff_token
from bot.storage.models import School
from bot.storage.unit import UnitOfWork

# What a school cannot be without: a school is found by name and town.
NEEDED = {"name": "A school needs a name (--name).", "town": "A school needs a town (--town)."}


def import_lists(
    uow: UnitOfWork, lists: Sequence[tuple[Path, Sequence[DuoSchool]]]
) -> list[tuple[Path, ImportCounts]]:
    """Add or update the schools of every list in this one transaction; count each list."""
    return [(path, import_schools(uow.schools, schools)) for path, schools in lists]


def add_refusals(
    uow: UnitOfWork, code: str, given: Mapping[str, str | None], *, update: bool
) -> list[str]:
    """Say why adding (or, with `update`, changing) this school is refused, if it is."""
    school = uow.schools.get(code)
    if school is not None and not update:
        return [
            f"School {code} is already there: {school.name}, {school.town}. "
            "Add --update to change it; nothing changed."
        ]
    if school is None and update:
        return [f"There is no school {code} to update: leave out --update to add it."]
    if school is None:
        return [message for field, message in NEEDED.items() if field not in given]
    return []


def add_school(uow: UnitOfWork, code: str, given: Mapping[str, str | None]) -> str:
    """Add the school, or change the given fields of the one there; say which was done."""
    school = uow.schools.get(code)
    if school is None:
        school = School(code=code, staff_token=new_staff_token(), **{"sector": "po", **given})
        uow.schools.add(school)
        verb = "Added"
    else:
        for field, value in given.items():
            setattr(school, field, value)
        verb = "Updated"
    return f"{verb} school {code}: {school.name}, {school.town}."


def schools_in(uow: UnitOfWork, town: str | None) -> list[School]:
    """Return every school, or those of a town however it was typed, by town and name."""
    return uow.schools.listing(" ".join(town.split()) if town else None)


def school(uow: UnitOfWork, code: str | None) -> School | None:
    """Return the school with this code, if there is one."""
    return uow.schools.get(code) if code else None


def replace_staff_link(uow: UnitOfWork, code: str) -> str:
    """Give the school a new staff link (the old one stops working); return its token."""
    found = uow.schools.get(code)
    if found is None:
        raise LookupError(code)
    found.staff_token = new_staff_token()
    return found.staff_token
