"""What every use case of the parents' room shares: flows, the engine, texts and schools."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import AMSTERDAM, PROCESS
from bot.engine.engine import Engine
from bot.engine.flow import Flow
from bot.i18n.localizer import LanguageCatalog, Localizers
from bot.parents import texts as msg
from bot.parents.ports import Flows, Schools, TargetLanguage
from bot.parents.turn import Turn
from bot.storage.models import ParentSession

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ParentsRoom:
    """The parents' room's collaborators, built once by the composition root."""

    flows: Flows
    engine: Engine
    localizers: Localizers
    schools: Schools
    # The flow a parent without a session in progress starts on.
    default_flow: str
    target_language: TargetLanguage

    def texts(self, turn: Turn) -> LanguageCatalog:
        """Return the texts in the parent's language (Dutch until one is chosen)."""
        return self.localizers.get(turn.parent.language or "nl")

    def flow_of(self, turn: Turn, session: ParentSession) -> Flow | None:
        """Return the exact flow a session started on; None (logged) when it is not stored."""
        flow = self.flows.revision(session.flow_revision, turn.uow)
        if flow is None:
            log.error(
                "session %s names flow revision %s, which is not stored",
                session.id,
                session.flow_revision,
            )
        return flow

    def languages_for(self, turn: Turn) -> tuple[str, ...]:
        """Return the languages the parent may pick: those offered that their flow speaks.

        The flow is the one under way, else the one they would start on; a flow that
        speaks none of the offered languages (or none at all) leaves every one offered.
        """
        offered = self.localizers.codes
        current = turn.active_session()
        flow = self.flow_of(turn, current) if current is not None else self.flow_for(turn)
        if not isinstance(flow, Flow):
            return offered
        spoken = tuple(code for code in offered if code in flow.languages)
        return spoken or offered

    def flow_for(self, turn: Turn) -> Flow | str:
        """Return the flow a new session of this parent starts on, or the text saying why none.

        The flow of the link they came by comes first, then their school's own default,
        then the installation's. A flow outside its open period is closed, and said so.
        """
        parent = turn.parent
        flow_id = parent.arrival_flow
        if flow_id is None and parent.arrival_school is not None:
            school = turn.uow.schools.get(parent.arrival_school)
            flow_id = school.flow_id if school is not None else None
        flow_id = flow_id or self.default_flow
        flow = self.flows.current(flow_id)
        if flow is None:
            log.error("no usable flow %r to start", flow_id)
            return msg.NOT_AVAILABLE
        if not flow.is_open(PROCESS.now().astimezone(AMSTERDAM).date()):
            return msg.FLOW_CLOSED
        return flow
