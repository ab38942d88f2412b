"""Moving through a flow: record an answer, walk on to the next step that applies, finish.

The engine's input handling (bot/engine/engine.py) decides what an input means; this
base class holds what every outcome ends in, so each stays in one place.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine import texts as msg
from bot.engine.events import (
    AnswerRecorded,
    AnswerRejected,
    AnswersDropped,
    Event,
    FlowCompleted,
    FlowDeclined,
    MessageShown,
    QuestionAsked,
)
from bot.engine.flow import Flow, Step, StepKind
from bot.engine.plan import Verdicts, given_beforehand, inapplicable, verdicts
from bot.engine.ports import Localizer, SchoolDirectory
from bot.engine.render import fill, question, step_text
from bot.engine.state import SEQ_LIMIT, AnswerValue, SessionState, Status

Result = tuple[SessionState, list[Event]]


class Walk:
    """Records answers and moves sessions on; holds nothing per parent."""

    def __init__(
        self, schools: SchoolDirectory | None = None, values: Mapping[str, str] | None = None
    ) -> None:
        self._schools = schools
        # The installation's values for {name} placeholders in flow texts (who "we" are,
        # how long answers are kept), handed in by the caller: the engine reads no settings.
        self._values = dict(values or {})

    def _record(
        self, flow: Flow, state: SessionState, step: Step, value: AnswerValue, texts: Localizer
    ) -> Result:
        events: list[Event] = [AnswerRecorded(step.id, value)]
        answers = {**state.answers, step.id: value}
        # Dropping answers of steps that no longer apply changes no verdict: the
        # walk already counts those steps as skipped.
        decided = verdicts(flow, answers)
        dropped = inapplicable(decided, answers)
        if dropped:
            events.append(AnswersDropped(dropped))
            answers = {k: v for k, v in answers.items() if k not in dropped}
        history = tuple(h for h in state.history if h != step.id and h not in dropped)
        state = state.with_changes(
            answers=answers, history=(*history, step.id), pending=(), school_matches=()
        )
        return self._advance(flow, state, flow.position(step.id), texts, events, decided)

    def _advance(
        self,
        flow: Flow,
        state: SessionState,
        after: int,
        texts: Localizer,
        events: list[Event],
        decided: Verdicts | None = None,
    ) -> Result:
        """Move to the next step that applies, showing messages on the way."""
        changing = state.return_to is not None
        if decided is None:
            decided = verdicts(flow, state.answers)
        for step in flow.steps[after + 1 :]:
            if decided[step.id] is not True:
                continue
            if changing:
                # Back to the summary, unless the change made a new question apply.
                if step.id == state.return_to:
                    return self._ask(flow, state.with_changes(return_to=None), step, texts, events)
                unanswered = step.answered and step.id not in state.answers
                if unanswered and not given_beforehand(step, state):
                    return self._ask(flow, state, step, texts, events)
                continue
            if step.kind is StepKind.MESSAGE:
                events.append(MessageShown(step.id, step_text(flow, step, texts, self._values)))
                continue
            if given_beforehand(step, state):
                value = beforehand(step, state)
                state = state.with_changes(answers={**state.answers, step.id: value})
                events.append(AnswerRecorded(step.id, value))
                decided = verdicts(flow, state.answers)
                continue
            return self._ask(flow, state, step, texts, events)
        return self._complete(flow, state, events)

    def _ask(
        self, flow: Flow, state: SessionState, step: Step, texts: Localizer, events: list[Event]
    ) -> Result:
        previous = state.answers.get(step.id)
        pending = previous if isinstance(previous, tuple) else ()
        state = state.with_changes(
            current=step.id, pending=pending, school_matches=(), seq=(state.seq + 1) % SEQ_LIMIT
        )
        if step.kind is StepKind.SCHOOL:
            state = state.with_changes(
                context={k: v for k, v in state.context.items() if k != "school_query"}
            )
        return state, [*events, self._question(flow, state, texts)]

    def _question(self, flow: Flow, state: SessionState, texts: Localizer) -> QuestionAsked:
        step = flow.step(state.current or "")
        return question(flow, state, step, texts, self._schools, self._values)

    def _reject(
        self, flow: Flow, state: SessionState, step: Step, reason: str, texts: Localizer
    ) -> Result:
        return state, [AnswerRejected(step.id, reason), self._question(flow, state, texts)]

    def _complete(self, flow: Flow, state: SessionState, events: list[Event]) -> Result:
        state = state.with_changes(status=Status.COMPLETED, current=None, pending=())
        events.append(
            FlowCompleted(flow.id, flow.version, dict(state.answers), dict(state.context))
        )
        return state, events

    def _decline(self, flow: Flow, state: SessionState, step: Step, texts: Localizer) -> Result:
        events: list[Event] = []
        if state.answers:
            events.append(AnswersDropped(tuple(state.answers)))
        declined = step.declined or msg.DECLINED_DEFAULT
        text = (
            fill(texts.pgettext(flow.context(step), declined), self._values)
            if step.declined
            else texts.gettext(declined)
        )
        events += [MessageShown(step.id, text), FlowDeclined(flow.id)]
        state = state.with_changes(
            status=Status.DECLINED, current=None, answers={}, history=(), pending=()
        )
        return state, events


def beforehand(step: Step, state: SessionState) -> AnswerValue:
    """Return the answer a step has before it is asked (see plan.given_beforehand)."""
    if step.kind is StepKind.SCHOOL and "school" in state.context:
        return state.context["school"]
    return state.known[step.id]
