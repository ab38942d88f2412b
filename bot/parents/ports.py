"""What the parents' room needs from outside it: flows, schools, a school's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from bot.engine.flow import Flow
from bot.engine.ports import SchoolDirectory
from bot.storage.unit import UnitOfWork

# Which language a school reads, given the school code the parent chose (or None).
TargetLanguage = Callable[[UnitOfWork, str | None], str]


def school_language(uow: UnitOfWork, school: str | None) -> str:
    """Return the language the school reads its digest in; Dutch while no school is known."""
    return uow.translations.school_language(school)


class Flows(Protocol):
    """The flows new sessions start on, and every revision a session started on."""

    def current(self, flow_id: str) -> Flow | None:
        """Return the flow new sessions of this id start on."""
        ...

    def revision(self, revision: str, uow: UnitOfWork) -> Flow | None:
        """Return the exact flow a session started on, read in this unit of work."""
        ...


class Schools(SchoolDirectory, Protocol):
    """The schools parents pick from (SchoolCatalog), as the room reads them."""

    def describe(self, code: str | None) -> str:
        """Return 'Name, Town' for a code, or the code itself when unknown."""
        ...
