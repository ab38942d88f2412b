"""Which needs a family has, by key, as its flow declares them; and which keys there are.

Broadcasts ask here ("everyone who needs a loan laptop"); the flow's `meaning:` block says
what marks each need (bot/engine/meaning.py), so a flow with steps named otherwise works
the same. `urgent` is offered as a need too: the families the flow calls urgent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from bot.digests.marks import needs_of as declared_needs
from bot.engine.flow import Flow
from bot.engine.meaning import BUILT_IN_NEEDS, urgent

URGENT: Final = "urgent"


def needs_of(flow: Flow | None, answers: Mapping[str, object]) -> frozenset[str]:
    """Return the keys of the needs a family's answers show, `urgent` among them."""
    if flow is None:
        return frozenset()  # a flow no longer served: nothing can be read from its answers
    found = declared_needs(flow, answers)
    return found | {URGENT} if urgent(flow, answers) else found


def known_needs(flows: Iterable[Flow]) -> tuple[str, ...]:
    """Return every need key: the bot's own, `urgent`, and those the flows name."""
    keys = dict.fromkeys((*BUILT_IN_NEEDS, URGENT))
    for flow in flows:
        keys.update(dict.fromkeys(need.key for need in flow.meaning.needs))
    return tuple(keys)


KNOWN_NEEDS: Final = known_needs(())
