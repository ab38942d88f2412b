"""Where parents stop: per flow version, how many started, stopped at each question, finished."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.dashboard.figures import hidden

COMPLETED = "completed"
DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class DropOff:
    """One flow version's way through its questions, small counts hidden."""

    flow_id: str
    version: int
    started: int | None
    finished: int | None
    declined: int | None
    # (question id, sessions standing there now), in the flow's order where it is known.
    stopped: tuple[tuple[str, int | None], ...]


def dropoffs(
    rows: Iterable[tuple[str, int, str, str | None, int]],
    order: Callable[[str, int], Sequence[str]],
) -> list[DropOff]:
    """Return the drop-off of each flow version from (flow, version, status, step, count).

    `order` gives a version's question ids in their order; a question it does not know
    (a revision no longer loaded) comes after them, by id.
    """
    grouped: dict[tuple[str, int], dict[tuple[str, str | None], int]] = defaultdict(dict)
    for flow_id, version, status, step, count in rows:
        counts = grouped[(flow_id, version)]
        counts[(status, step)] = counts.get((status, step), 0) + count
    result = []
    for (flow_id, version), counts in sorted(grouped.items()):
        started = sum(counts.values())
        finished = sum(n for (status, _), n in counts.items() if status == COMPLETED)
        declined = sum(n for (status, _), n in counts.items() if status == DECLINED)
        at: dict[str, int] = defaultdict(int)
        for (status, step), n in counts.items():
            if status not in (COMPLETED, DECLINED):
                at[step or "?"] += n
        known = list(order(flow_id, version))
        rank = {step: i for i, step in enumerate(known)}
        steps = sorted(at, key=lambda s: (rank.get(s, len(rank)), s))
        result.append(
            DropOff(
                flow_id,
                version,
                hidden(started),
                hidden(finished),
                hidden(declined),
                tuple((step, hidden(at[step])) for step in steps),
            )
        )
    return result
