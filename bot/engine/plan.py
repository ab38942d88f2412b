"""Which steps apply, given the answers so far: for asking, pruning and progress."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from bot.engine.flow import Flow, Step, StepKind
from bot.engine.state import AnswerValue, SessionState


def verdicts(flow: Flow, answers: Mapping[str, AnswerValue]) -> Iterator[tuple[Step, bool | None]]:
    """Yield each step with whether it applies: True, False, or None while still unknown.

    A step that does not apply counts as skipped for the steps after it, so a
    condition on it is decided rather than left unknown for ever.
    """
    assumed = dict(answers)
    for step in flow.steps:
        verdict = True if step.when is None else step.when.evaluate(assumed)
        if verdict is False:
            assumed[step.id] = None
        yield step, verdict


def answered_from_context(step: Step, state: SessionState) -> bool:
    """Tell whether a step is answered by what the parent arrived with, so it is never asked."""
    return step.kind is StepKind.SCHOOL and "school" in state.context


def planned(flow: Flow, state: SessionState) -> list[Step]:
    """Return the questions that are or may still be asked, in order (for progress)."""
    return [
        step
        for step, verdict in verdicts(flow, state.answers)
        if verdict is not False and step.answered and not answered_from_context(step, state)
    ]


def inapplicable(flow: Flow, answers: Mapping[str, AnswerValue]) -> tuple[str, ...]:
    """Return the answered steps whose condition no longer holds."""
    return tuple(
        step.id
        for step, verdict in verdicts(flow, answers)
        if verdict is False and step.id in answers
    )


def applies(flow: Flow, answers: Mapping[str, AnswerValue]) -> set[str]:
    """Return the ids of the steps whose condition holds now."""
    return {step.id for step, verdict in verdicts(flow, answers) if verdict is True}
