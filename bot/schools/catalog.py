"""The schools parents can pick, kept in memory for searching and read from the database."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.state import SchoolMatch
from bot.schools.directory import IndexDirectory
from bot.schools.duo import School
from bot.schools.search import SchoolIndex
from bot.storage import models


class SchoolCatalog:
    """The engine's school lookup over the schools table; `refresh` after an import."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._directory = IndexDirectory(SchoolIndex(()))
        self._lock = threading.Lock()

    def refresh(self) -> int:
        """Read every school from the database again; return how many there are."""
        with self._sessions() as db:
            rows = db.scalars(select(models.School)).all()
            schools = [_school(row) for row in rows]
        directory = IndexDirectory(SchoolIndex(schools))
        with self._lock:
            self._directory = directory
        return len(schools)

    def search(self, query: str, limit: int) -> Sequence[SchoolMatch]:
        """Return the best matches for what a parent typed."""
        return self._directory.search(query, limit)

    def get(self, code: str) -> SchoolMatch | None:
        """Return the school with this code, if known."""
        return self._directory.get(code)

    def describe(self, code: str | None) -> str:
        """Return 'Name, Town' for a code, or the code itself when unknown."""
        match = self.get(code) if code else None
        if match is None:
            return code or ""
        return f"{match.name}, {match.town}" if match.town else match.name


def _school(row: models.School) -> School:
    return School(
        code=row.code,
        name=row.name,
        street=row.street,
        house_number=row.house_number,
        postcode=row.postcode,
        town=row.town,
        municipality=row.municipality,
        phone=row.phone,
        website=row.website,
        sector="vo" if row.sector == "vo" else "po",
    )
