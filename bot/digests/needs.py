"""Which needs a family has, by key: the one place that reads them from the answers.

Today they are read from the default flow's steps (the same ones the digest marks);
once flows declare their needs, this is the function to point at the declaration.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.digests.build import (
    MOBILE_ONLY,
    NO_DEVICE,
    NO_HELP,
    NO_INTERNET,
    SMARTPHONE_ONLY,
    URGENT,
    WANTED_HELP,
    has,
)
from bot.engine.flow import Flow

# Each need and the answers (step, choice key) that show it; any one of them is enough.
_SHOWN_BY: dict[str, tuple[tuple[str, str], ...]] = {
    "device": (NO_DEVICE, SMARTPHONE_ONLY, (WANTED_HELP, "device_loan")),
    "internet": (NO_INTERNET, MOBILE_ONLY, (WANTED_HELP, "internet_access")),
    "help": (NO_HELP, (WANTED_HELP, "tutor"), (WANTED_HELP, "paper_packages")),
    "interpreter": (("help_barrier", "language"), (WANTED_HELP, "own_language")),
    "urgent": (URGENT,),
}
KNOWN_NEEDS: tuple[str, ...] = tuple(_SHOWN_BY)


def needs_of(flow: Flow | None, answers: Mapping[str, object]) -> frozenset[str]:
    """Return the keys of the needs a family's answers show (see KNOWN_NEEDS)."""
    # The flow is not read yet: its steps are the default flow's until flows declare needs.
    del flow
    return frozenset(
        need for need, marks in _SHOWN_BY.items() if any(has(answers, m) for m in marks)
    )
