"""What every use case of the parents' room shares: flows, the engine, texts and schools."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.engine.engine import Engine
from bot.engine.flow import Flow
from bot.i18n.localizer import LanguageCatalog, Localizers
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
