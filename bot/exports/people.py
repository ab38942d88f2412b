"""The export for people: Dutch headers, answers as the digest shows them, Dutch local times."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

from bot.clock import AMSTERDAM
from bot.digests.marks import need_labels
from bot.digests.render import excel_cell
from bot.engine import texts as msg
from bot.engine.flow import Flow
from bot.engine.meaning import urgent
from bot.engine.ports import Localizer
from bot.engine.render import answer_text, step_label
from bot.engine.state import AnswerValue
from bot.i18n.languages import language
from bot.storage.repositories.exports import ResponseRow

# The FIXED_COLUMNS as a school reads them, in the same order.
DUTCH_COLUMNS: Final = (
    *("nummer", "beantwoord", "schoolcode", "schoolnaam", "school zoals getypt"),
    *("taal", "vragenlijst", "versie", "kind"),
    *("dringend", "nodig"),
)

PeopleCell = str | int | datetime


class PeopleTable:
    """Writes responses as a school reads them, using the current flows' Dutch texts."""

    def __init__(self, flows: Mapping[str, Flow], texts: Localizer) -> None:
        self._flows = flows
        self._texts = texts
        self._languages: dict[str, str] = {}

    def header(self, steps: Sequence[str]) -> list[str]:
        """Return the column titles: the fixed ones, then each step's label (else its id)."""
        titles = list(DUTCH_COLUMNS)
        taken = {title.casefold() for title in titles}
        for step_id in steps:
            title = self._step_title(step_id)
            # Two steps with one label would be two columns nobody can tell apart.
            if title.casefold() in taken:
                title = f"{title} ({step_id})"
            taken.add(title.casefold())
            titles.append(title)
        return titles

    def cells(self, row: ResponseRow, steps: Sequence[str]) -> list[PeopleCell]:
        """Return one response's cells: local time, Dutch answers, text safe for Excel."""
        local = row.completed_at.astimezone(AMSTERDAM).replace(tzinfo=None, second=0)
        flow = self._flows.get(row.flow_id)
        # The flow as the school knows it, by its title; its id while it has none.
        flow_name = (flow.title or flow.id) if flow is not None else row.flow_id
        fixed: list[PeopleCell] = [
            row.response_id,
            local.replace(microsecond=0),
            *(_text(row.school_code), _text(row.school_name), _text(row.school_query)),
            self._language(row.language),
            *(_text(flow_name), row.flow_version, row.child_number),
        ]
        flow = self._flows.get(row.flow_id)
        fixed += self._meaning(flow, row.answers)
        return fixed + [self._answer(flow, step_id, row.answers.get(step_id)) for step_id in steps]

    def _meaning(self, flow: Flow | None, answers: Mapping[str, object]) -> list[PeopleCell]:
        """Return "dringend" (ja/nee) and "nodig" as the digest says them, by the flow's rules."""
        if flow is None:
            return ["", ""]
        said = self._texts.gettext(msg.YES if urgent(flow, answers) else msg.NO)
        return [said, _text(", ".join(need_labels(flow, answers, self._texts)))]

    def _step_title(self, step_id: str) -> str:
        for flow_id in sorted(self._flows):
            flow = self._flows[flow_id]
            if flow.has_step(step_id):
                return step_label(flow, flow.step(step_id), self._texts)
        return step_id

    def _answer(
        self, flow: Flow | None, step_id: str, value: AnswerValue | list[str]
    ) -> PeopleCell:
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if flow is None or not flow.has_step(step_id):
            # A step the current flow no longer has: its keys are all that is known.
            keys = value if isinstance(value, list) else [value]
            return _text(", ".join(str(key) for key in keys))
        return _text(answer_text(flow, flow.step(step_id), value, self._texts, short=True))

    def _language(self, code: str) -> str:
        name = self._languages.get(code)
        if name is None:
            try:
                name = language(code).dutch_name
            except ValueError:
                name = code
            self._languages[code] = name
        return _text(name)


def _text(value: str | None) -> str:
    return excel_cell(value) if value else ""
