"""Which needs a family has, by key, as its flow declares them; and which keys there are.

Broadcasts ask here ("everyone who needs a loan laptop"), and each response's needs are
kept beside it for the dashboard to count by index. The flow's `meaning:` block says what
marks each need (bot/engine/meaning.py), so a flow with steps named otherwise works the
same. `urgent` is a need too: the families the flow calls urgent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Protocol

from bot.digests.marks import needs_of as declared_needs
from bot.engine.flow import Flow
from bot.engine.meaning import BUILT_IN_NEEDS, urgent
from bot.storage.queue import Queued
from bot.storage.unit import Transactions, UnitOfWork

URGENT: Final = "urgent"
# The needs a school board orders and arranges, in the order the dashboard shows them.
NEEDS: Final = BUILT_IN_NEEDS


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


class FlowRevisions(Protocol):
    """Finds the flow revision a response was given on."""

    def revision(self, revision: str, uow: UnitOfWork) -> Flow | None:
        """Return the flow of a stored revision, or None when it cannot be read."""
        ...


class NeedsRecorder:
    """Keeps each new response's needs beside it, so the dashboard counts them by index."""

    def __init__(self, flows: FlowRevisions) -> None:
        self._flows = flows

    def response_completed(self, uow: UnitOfWork, response_id: int) -> list[Queued]:
        """Record the needs of a response just stored, in its transaction; queue nothing."""
        found = uow.digests.families([response_id])
        if not found:
            return []
        response = found[0][0]
        flow = self._flows.revision(response.flow_revision, uow)
        if flow is not None:
            uow.needs.record(
                response.id, response.school_code, declared_needs(flow, response.answers)
            )
        return []


def fill_older_needs(transactions: Transactions, flows: FlowRevisions, chunk: int = 500) -> int:
    """Give responses stored before the dashboard their needs, once; return how many."""
    with transactions.read() as uow:
        if uow.needs_filling.done():
            return 0
    after, filled = 0, 0
    while True:
        with transactions.begin() as uow:
            found = uow.needs_filling.responses(after, chunk)
            for response in found:
                flow = flows.revision(response.flow_revision, uow)
                needs = declared_needs(flow, response.answers) if flow is not None else frozenset()
                uow.needs_filling.replace(response.id, response.school_code, needs)
            if len(found) < chunk:
                uow.needs_filling.mark_done()
        filled += len(found)
        if len(found) < chunk:
            return filled
        after = found[-1].id
