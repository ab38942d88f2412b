"""One school location as a DUO list describes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Sector = Literal["po", "vo"]


@dataclass(frozen=True, slots=True)
class School:
    """One school location as DUO lists it."""

    code: str
    name: str
    street: str | None
    house_number: str | None
    postcode: str | None
    town: str | None
    municipality: str | None
    phone: str | None
    website: str | None
    sector: Sector

    @property
    def institution_code(self) -> str:
        """Return the institution (BRIN) part of the location code."""
        return self.code[:4]
