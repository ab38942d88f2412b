"""The conversation engine: a session and an input in, the new session and events out.

Pure by design: it does no I/O and imports no adapter. The caller stores the
returned state, sends what the events say, and hands in the parent's Localizer.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine import texts as msg
from bot.engine.answers import (
    Rejection,
    parse_number,
    parse_phone,
    parse_text,
    split_picks,
    voice_answer,
)
from bot.engine.events import (
    FINISHED,
    STALE,
    AnswerRejected,
    AnswersDropped,
    Event,
    InputIgnored,
    Option,
)
from bot.engine.flow import Flow, Step, StepKind
from bot.engine.inputs import Choose, Command, CommandName, Input, Spoken
from bot.engine.ports import Localizer
from bot.engine.render import NO, NOT_LISTED, YES, options
from bot.engine.state import SEQ_LIMIT, AnswerValue, SessionState, Status
from bot.engine.walk import Result, Walk, beforehand

__all__ = ["SCHOOL_MATCHES", "Engine", "Result", "beforehand"]

# How many schools a search offers as buttons.
SCHOOL_MATCHES = 5


class Engine(Walk):
    """Walks parents through flows; holds nothing per parent, so one serves everyone."""

    def start(
        self,
        flow: Flow,
        *,
        language: str,
        texts: Localizer,
        context: Mapping[str, str] | None = None,
        known: Mapping[str, AnswerValue] | None = None,
    ) -> Result:
        """Begin a new session and ask its first question.

        `known` holds the family's answers for an earlier child; steps marked `family`
        take them without asking again.
        """
        state = SessionState(
            flow_id=flow.id,
            flow_version=flow.version,
            flow_revision=flow.revision,
            language=language,
            context=dict(context or {}),
            known=dict(known or {}),
        )
        return self._advance(flow, state, -1, texts, [])

    def reask(self, flow: Flow, state: SessionState, texts: Localizer) -> Result:
        """Render the current question again, for instance after a change of language."""
        if state.status is not Status.ACTIVE or state.current is None:
            return state, [InputIgnored(FINISHED)]
        return state, [self._question(flow, state, texts)]

    def handle(self, flow: Flow, state: SessionState, given: Input, texts: Localizer) -> Result:
        """Apply one input from the parent."""
        if isinstance(given, Command) and given.name is CommandName.RESTART:
            return self._restart(flow, state, texts)
        if state.status is not Status.ACTIVE or state.current is None:
            return state, [InputIgnored(FINISHED)]
        if isinstance(given, Choose | Command) and given.seq not in (None, state.seq):
            return state, [InputIgnored(STALE)]
        step = flow.step(state.current)
        if isinstance(given, Spoken):
            if step.kind is not StepKind.TEXT:
                return self._reject(flow, state, step, texts.gettext(msg.REJECT_CHOOSE), texts)
            return self._record(flow, state, step, voice_answer(given.file_id), texts)
        if isinstance(given, Command):
            return self._command(flow, state, step, given, texts)
        if isinstance(given, Choose):
            return self._choose(flow, state, step, given.key, texts)
        return self._typed(flow, state, step, given.text, texts)

    # Commands

    def _command(
        self, flow: Flow, state: SessionState, step: Step, command: Command, texts: Localizer
    ) -> Result:
        name = command.name
        if name is CommandName.BACK:
            return self._back(flow, state, texts)
        if name is CommandName.SKIP:
            if not step.optional:
                return self._reject(
                    flow, state, step, texts.gettext(msg.REJECT_NOT_OPTIONAL), texts
                )
            return self._record(flow, state, step, None, texts)
        if name is CommandName.DONE and step.kind is StepKind.MULTI:
            return self._done(flow, state, step, texts)
        if name is CommandName.CONFIRM and step.kind is StepKind.SUMMARY:
            return self._advance(flow, state, flow.position(step.id), texts, [])
        if (
            name is CommandName.CHANGE
            and step.kind is StepKind.SUMMARY
            and command.arg in state.answers
            and command.arg in state.history
        ):
            target = flow.step(command.arg)
            changing = state.with_changes(return_to=step.id)
            return self._ask(flow, changing, target, texts, [])
        return self._reject(flow, state, step, texts.gettext(msg.REJECT_CHOOSE), texts)

    def _back(self, flow: Flow, state: SessionState, texts: Localizer) -> Result:
        if not state.history:
            step = flow.step(state.current or "")
            return self._reject(flow, state, step, texts.gettext(msg.REJECT_FIRST_QUESTION), texts)
        previous = flow.step(state.history[-1])
        state = state.with_changes(history=state.history[:-1], return_to=None)
        return self._ask(flow, state, previous, texts, [])

    def _restart(self, flow: Flow, state: SessionState, texts: Localizer) -> Result:
        events: list[Event] = []
        if state.answers:
            events.append(AnswersDropped(tuple(state.answers)))
        context = {k: v for k, v in state.context.items() if k != "school_query"}
        fresh, started = self.start(
            flow, language=state.language, texts=texts, context=context, known=state.known
        )
        return fresh.with_changes(seq=(state.seq + fresh.seq) % SEQ_LIMIT), events + started

    # Choices and typed answers

    def _choose(
        self, flow: Flow, state: SessionState, step: Step, key: str, texts: Localizer
    ) -> Result:
        kind = step.kind
        if kind is StepKind.CHOICE and step.choice(key) is not None:
            return self._record(flow, state, step, key, texts)
        if kind is StepKind.MULTI and step.choice(key) is not None:
            state = state.with_changes(pending=_toggle(step, state.pending, key))
            return state, [self._question(flow, state, texts)]
        if kind is StepKind.YESNO and key in (YES, NO):
            return self._record(flow, state, step, key, texts)
        if kind is StepKind.CONSENT and key == YES:
            return self._record(flow, state, step, YES, texts)
        if kind is StepKind.CONSENT and key == NO:
            return self._decline(flow, state, step, texts)
        if kind is StepKind.SCHOOL and (
            key == NOT_LISTED or any(m.code == key for m in state.school_matches)
        ):
            return self._record(flow, state, step, key, texts)
        return self._reject(flow, state, step, texts.gettext(msg.REJECT_CHOOSE), texts)

    def _typed(
        self, flow: Flow, state: SessionState, step: Step, typed: str, texts: Localizer
    ) -> Result:
        kind = step.kind
        if kind is StepKind.NUMBER:
            return self._parsed(flow, state, step, parse_number(step, typed, texts), texts)
        if kind is StepKind.TEXT:
            return self._parsed(flow, state, step, parse_text(step, typed, texts), texts)
        if kind is StepKind.PHONE:
            return self._parsed(flow, state, step, parse_phone(typed, texts), texts)
        if kind is StepKind.MESSAGE:
            return self._reject(flow, state, step, texts.gettext(msg.REJECT_CHOOSE), texts)
        picked = _pick(options(flow, state, step, texts), typed)
        if kind is StepKind.MULTI and picked:
            return self._typed_multi(flow, state, step, picked, texts)
        if len(picked) == 1:
            return self.handle(flow, state, picked[0], texts)
        if kind is StepKind.SCHOOL:
            return self._search_school(flow, state, step, typed, texts)
        return self._reject(flow, state, step, texts.gettext(msg.REJECT_CHOOSE), texts)

    def _typed_multi(
        self, flow: Flow, state: SessionState, step: Step, picked: list[Input], texts: Localizer
    ) -> Result:
        """Apply typed picks such as '1 3' as one answer: the choices, then done."""
        keys = [p.key for p in picked if isinstance(p, Choose)]
        if len(keys) != len(picked):
            if len(picked) == 1:
                return self.handle(flow, state, picked[0], texts)
            return self._reject(flow, state, step, texts.gettext(msg.REJECT_CHOOSE), texts)
        pending: tuple[str, ...] = ()
        for key in keys:
            if key not in pending:
                pending = _toggle(step, pending, key)
        return self._done(flow, state.with_changes(pending=pending), step, texts)

    def _parsed(
        self,
        flow: Flow,
        state: SessionState,
        step: Step,
        parsed: AnswerValue | Rejection,
        texts: Localizer,
    ) -> Result:
        if isinstance(parsed, Rejection):
            return self._reject(flow, state, step, parsed.reason, texts)
        return self._record(flow, state, step, parsed, texts)

    def _done(self, flow: Flow, state: SessionState, step: Step, texts: Localizer) -> Result:
        picked = tuple(c.key for c in step.choices if c.key in state.pending)
        least = step.min if step.min is not None else 1
        if not picked and step.optional:
            return self._record(flow, state, step, None, texts)
        if len(picked) < least:
            singular, plural = msg.REJECT_AT_LEAST
            reason = texts.ngettext(singular, plural, least) % {"min": texts.format_number(least)}
            return self._reject(flow, state, step, reason, texts)
        if step.max is not None and len(picked) > step.max:
            singular, plural = msg.REJECT_AT_MOST
            reason = texts.ngettext(singular, plural, step.max) % {
                "max": texts.format_number(step.max)
            }
            return self._reject(flow, state, step, reason, texts)
        return self._record(flow, state, step, picked, texts)

    def _search_school(
        self, flow: Flow, state: SessionState, step: Step, typed: str, texts: Localizer
    ) -> Result:
        query = " ".join(typed.split())[:200]
        if not query:
            return self._reject(flow, state, step, texts.gettext(msg.HINT_SCHOOL), texts)
        matches = tuple(self._schools.search(query, SCHOOL_MATCHES)) if self._schools else ()
        state = state.with_changes(
            context={**state.context, "school_query": query},
            school_matches=matches,
            seq=(state.seq + 1) % SEQ_LIMIT,
        )
        if not matches:
            reason = texts.gettext(msg.REJECT_SCHOOL_NONE_FOUND)
            return state, [AnswerRejected(step.id, reason), self._question(flow, state, texts)]
        return state, [self._question(flow, state, texts)]


def _toggle(step: Step, pending: tuple[str, ...], key: str) -> tuple[str, ...]:
    """Toggle a multi choice; an exclusive choice ('none of these') stands alone."""
    if key in pending:
        return tuple(k for k in pending if k != key)
    choice = step.choice(key)
    if choice is not None and choice.exclusive:
        return (key,)
    exclusive = {c.key for c in step.choices if c.exclusive}
    return (*(k for k in pending if k not in exclusive), key)


def _pick(offered: tuple[Option, ...], typed: str) -> list[Input]:
    """Match typed numbers ('2', '1 3') or a typed label to the offered options."""
    wanted = typed.strip().casefold()
    for option in offered:
        if option.label.casefold() == wanted:
            return [option.input]
    picks = split_picks(typed)
    found: list[Input] = []
    for pick in picks:
        if not pick.isdecimal():
            return []
        index = int(pick) - 1
        if not 0 <= index < len(offered):
            return []
        found.append(offered[index].input)
    return found
