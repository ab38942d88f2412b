"""Which steps apply, given the answers so far: for asking, pruning and progress."""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.flow import Flow, Step, StepKind
from bot.engine.state import AnswerValue, SessionState

# Whether each step applies: True, False, or None while still unknown.
Verdicts = dict[str, bool | None]


def verdicts(flow: Flow, answers: Mapping[str, AnswerValue]) -> Verdicts:
    """Decide for every step, in flow order, whether it applies.

    A step that does not apply counts as skipped for the steps after it, so a
    condition on it is decided rather than left unknown for ever.
    """
    assumed = dict(answers)
    found: Verdicts = {}
    for step in flow.steps:
        verdict = True if step.when is None else step.when.evaluate(assumed)
        if verdict is False:
            assumed[step.id] = None
        found[step.id] = verdict
    return found


def given_beforehand(step: Step, state: SessionState) -> bool:
    """Tell whether a step is answered before it is asked: by the link the parent came
    with, or, for a family question, by what the family said for an earlier child."""
    if step.kind is StepKind.SCHOOL and "school" in state.context:
        return True
    return step.family and step.id in state.known


def planned(flow: Flow, state: SessionState) -> list[str]:
    """Return the ids of the questions that are or may still be asked, in order (for progress)."""
    decided = verdicts(flow, state.answers)
    return [
        step.id
        for step in flow.steps
        if decided[step.id] is not False and step.answered and not given_beforehand(step, state)
    ]


def inapplicable(decided: Verdicts, answers: Mapping[str, AnswerValue]) -> tuple[str, ...]:
    """Return the answered steps whose condition no longer holds."""
    return tuple(step_id for step_id in answers if decided.get(step_id) is False)
