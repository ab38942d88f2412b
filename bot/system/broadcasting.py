"""Builds the broadcasts' use case for the composition root: its translator and needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.broadcasts.compose import Needs
from bot.broadcasts.desk import BroadcastDesk
from bot.broadcasts.sending import Broadcasts
from bot.digests.needs import known_needs, needs_of
from bot.engine.ports import Localizer
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.localizer import Localizers
from bot.storage.unit import Transactions
from bot.translation.errors import TranslationError

if TYPE_CHECKING:
    from bot.translation.argos import ArgosTranslator


def broadcasts(
    transactions: Transactions,
    localizers: Localizers,
    packages: ArgosTranslator,
    registry: FlowRegistry,
) -> Broadcasts:
    """Build the broadcasts: translated by the packages installed here, needs by the flows."""

    def translate(text: str, source: str, target: str) -> str | None:
        try:
            return packages.translate(text, source, target).text
        except TranslationError:
            return None  # no package for the pair: sent as written, marked so

    return Broadcasts(transactions, localizers.get, translate, family_needs(registry))


def family_needs(registry: FlowRegistry) -> Needs:
    """Return which needs a family's answers show, read by the flow they answered."""

    def needs(flow_id: str, answers: Mapping[str, Any]) -> frozenset[str]:
        return needs_of(registry.current(flow_id), answers)

    return needs


def broadcast_desk(dutch: Localizer, registry: FlowRegistry) -> BroadcastDesk:
    """Build staff's `/bericht` desk: needs read, and need keys known, from the live flows."""
    return BroadcastDesk(dutch, family_needs(registry), lambda: known_needs(registry.all()))
