"""A family's answers as staff read them: short, Dutch, one card per family."""

from __future__ import annotations

from typing import Protocol

from bot.digests.build import Dates
from bot.engine.flow import Flow, StepKind
from bot.engine.ports import Localizer, SchoolDirectory
from bot.engine.render import answer_text, step_label
from bot.engine.state import SessionState
from bot.i18n.languages import language
from bot.storage.models import Response
from bot.storage.unit import UnitOfWork

# Consent is the condition for the answers and the school heads the list: not repeated.
SHOWN_ELSEWHERE = frozenset({StepKind.CONSENT, StepKind.SCHOOL})


class FlowRevisions(Protocol):
    """The exact flow each response was given on (the flow registry)."""

    def revision(self, revision: str, uow: UnitOfWork) -> Flow | None:
        """Return the flow of this revision, if it is known, read on the open transaction."""
        ...


class SchoolNames(SchoolDirectory, Protocol):
    """The schools as families and staff know them (the school catalog)."""

    def describe(self, code: str | None) -> str:
        """Return 'Name, Town' for a code, or the code itself when unknown."""
        ...


class FamilyCards:
    """Renders one family's answers for staff."""

    def __init__(self, registry: FlowRevisions, schools: SchoolNames, dutch: Localizer) -> None:
        self._registry = registry
        self._schools = schools
        self._dutch = dutch
        # Dutch local time, written as the digests write it.
        self._dates = Dates(dutch.language)

    def card(self, uow: UnitOfWork, response: Response) -> str:
        """Render one family's answers in short Dutch."""
        dutch = self._dutch
        when = self._dates.moment(response.completed_at)
        lines = [f"#{response.id} · {when} · taal: {language(response.language).dutch_name}"]
        flow = self._registry.revision(response.flow_revision, uow)
        if flow is None:
            return lines[0]
        state = SessionState(flow.id, flow.version, flow.revision, "nl")
        for step in flow.steps:
            if step.id not in response.answers or step.kind in SHOWN_ELSEWHERE:
                continue
            value = response.answers[step.id]
            label = step_label(flow, step, dutch)
            answer = answer_text(flow, step, value, dutch, state=state, schools=self._schools)
            lines.append(f"{label}: {answer}")
        return "\n".join(lines)
