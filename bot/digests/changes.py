"""What a family changed after the school saw its answers: one line per answer changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.engine.flow import Flow, StepKind
from bot.engine.ports import Localizer
from bot.engine.render import answer_text, step_label

# Steps whose change says nothing to the school, or shows elsewhere in the family's block.
_UNSHOWN = frozenset({StepKind.CONSENT, StepKind.SCHOOL, StepKind.MESSAGE, StepKind.SUMMARY})
# Where an answer was not given before, or is no longer.
NONE = "—"


def changed_lines(
    flow: Flow | None,
    previous: Mapping[str, Any] | None,
    answers: Mapping[str, Any],
    texts: Localizer,
) -> tuple[str, ...]:
    """Return "Label: before → now" for every answer that differs, in the flow's order."""
    if flow is None or previous is None:
        return ()
    lines = []
    for step in flow.steps:
        if step.kind in _UNSHOWN or not step.answered:
            continue
        before, now = previous.get(step.id), answers.get(step.id)
        if _same(before, now):
            continue
        old = NONE if before is None else answer_text(flow, step, before, texts, short=True)
        new = NONE if now is None else answer_text(flow, step, now, texts, short=True)
        lines.append(f"{step_label(flow, step, texts)}: {old} → {new}")
    return tuple(lines)


def _same(before: Any, now: Any) -> bool:
    # Several choices are stored as lists; their order says nothing.
    if isinstance(before, list) and isinstance(now, list):
        return sorted(map(str, before)) == sorted(map(str, now))
    return bool(before == now)
