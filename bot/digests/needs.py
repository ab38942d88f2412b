"""What a family needs, read from its answers: what a school board orders and arranges.

Today the needs are read from the default flow's marks (the digest's own); once flows
declare their needs themselves, this is the one function that reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from bot.digests.build import NO_DEVICE, NO_HELP, NO_INTERNET, WANTED_HELP, has
from bot.engine.flow import Flow
from bot.storage.queue import Queued
from bot.storage.unit import Transactions, UnitOfWork

DEVICE = "device"
INTERNET = "internet"
HELP = "help"
INTERPRETER = "interpreter"
# In the order the dashboard shows them.
NEEDS = (DEVICE, INTERNET, HELP, INTERPRETER)

# Each need, and the answers (step, choice key) any one of which declares it.
_MARKS: Mapping[str, tuple[tuple[str, str], ...]] = {
    DEVICE: (NO_DEVICE, (WANTED_HELP, "device_loan")),
    INTERNET: (NO_INTERNET, (WANTED_HELP, "internet_access")),
    HELP: (NO_HELP, (WANTED_HELP, "tutor")),
    INTERPRETER: ((WANTED_HELP, "own_language"),),
}


def needs_of(flow: Flow, answers: Mapping[str, object]) -> frozenset[str]:
    """Return the needs a response's answers declare, as keys (`device`, `internet`, ...)."""
    steps = {step.id for step in flow.steps}
    return frozenset(
        need
        for need, marks in _MARKS.items()
        if any(mark[0] in steps and has(answers, mark) for mark in marks)
    )


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
            uow.needs.record(response.id, response.school_code, needs_of(flow, response.answers))
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
                needs = needs_of(flow, response.answers) if flow is not None else frozenset()
                uow.needs_filling.replace(response.id, response.school_code, needs)
            if len(found) < chunk:
                uow.needs_filling.mark_done()
        filled += len(found)
        if len(found) < chunk:
            return filled
        after = found[-1].id
