"""Store DUO school locations in the `schools` table, updating the ones already there."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from bot.schools.duo import School
from bot.schools.links import new_staff_token
from bot.storage.repositories.schools import LISTED_BATCH, ListedSchool, Schools


@dataclass(frozen=True, slots=True)
class ImportCounts:
    """How many schools were read, newly added and changed."""

    read: int = 0
    added: int = 0
    updated: int = 0

    def __add__(self, other: ImportCounts) -> ImportCounts:
        return ImportCounts(
            self.read + other.read, self.added + other.added, self.updated + other.updated
        )

    def __str__(self) -> str:
        return f"{self.read} read, {self.added} added, {self.updated} updated"


def import_schools(
    repository: Schools, schools: Iterable[School], *, batch_size: int = LISTED_BATCH
) -> ImportCounts:
    """Add new schools and update changed ones by code; staff tokens are never touched."""
    counts = ImportCounts()
    for batch in _batches(map(_listed, schools), batch_size):
        added, updated = repository.store_listed(batch, new_staff_token)
        counts += ImportCounts(len(batch), added, updated)
    return counts


def _listed(school: School) -> ListedSchool:
    """Return the DUO record as the row the schools' repository stores."""
    return ListedSchool(
        code=school.code,
        name=school.name,
        street=school.street,
        house_number=school.house_number,
        postcode=school.postcode,
        town=school.town,
        municipality=school.municipality,
        phone=school.phone,
        website=school.website,
        sector=school.sector,
    )


def _batches(schools: Iterable[ListedSchool], size: int) -> Iterator[list[ListedSchool]]:
    iterator = iter(schools)
    while batch := list(islice(iterator, size)):
        yield batch
