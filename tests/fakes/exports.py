"""The responses the export reads, in a list: the selection filters them as its WHERE would."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.storage.repositories.exports import ResponseRow, Selection


@dataclass
class FakeExportedResponses:
    """Finished responses as rows, kept in the order they were added."""

    stored: list[ResponseRow] = field(default_factory=list)

    def answered_steps(self, selection: Selection) -> dict[str, set[str]]:
        answered: dict[str, set[str]] = {}
        for row in self._selected(selection):
            answered.setdefault(row.flow_id, set()).update(row.answers)
        return answered

    def rows(self, selection: Selection) -> Iterator[ResponseRow]:
        yield from sorted(self._selected(selection), key=lambda r: (r.completed_at, r.response_id))

    def _selected(self, selection: Selection) -> list[ResponseRow]:
        if selection.unassigned:
            return [r for r in self.stored if r.school_code is None]
        if selection.school is not None:
            return [r for r in self.stored if r.school_code == selection.school]
        return list(self.stored)
