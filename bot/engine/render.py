"""Render a step as the parent sees it: texts, buttons, hint and progress, in their language."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.engine import texts as msg
from bot.engine.answers import display_phone, range_hint, voice_file_id
from bot.engine.events import Option, Progress, QuestionAsked
from bot.engine.flow import Flow, Step, StepKind
from bot.engine.inputs import Choose, Command, CommandName
from bot.engine.plan import planned
from bot.engine.ports import Localizer, SchoolDirectory
from bot.engine.state import AnswerValue, SessionState

NOT_LISTED = "not_listed"
YES, NO = "yes", "no"
# A named value in a flow text, such as {organisation}: letters, digits and underscores.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    """Put the installation's values into a flow text; an unknown {name} stays as written.

    Flow texts are not %-formatted: a coordinator's stray % or brace must never break
    a question, so only the names given are replaced.
    """
    if "{" not in text or not values:
        return text
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def step_text(
    flow: Flow, step: Step, texts: Localizer, values: Mapping[str, str] | None = None
) -> str:
    """Return a step's text in the parent's language, with the installation's values in it."""
    return fill(texts.pgettext(flow.context(step), step.text), values or {})


def step_label(flow: Flow, step: Step, texts: Localizer) -> str:
    """Return the short name of a step, for the summary."""
    return texts.pgettext(flow.context(step), step.label or step.text)


def choice_label(flow: Flow, step: Step, key: str, texts: Localizer) -> str:
    """Return the label of one of a step's choices, or the key when the flow no longer has it."""
    choice = step.choice(key)
    if choice is None:
        return key
    return texts.pgettext(flow.context(step, choice), choice.label)


def question(
    flow: Flow,
    state: SessionState,
    step: Step,
    texts: Localizer,
    schools: SchoolDirectory | None,
    values: Mapping[str, str] | None = None,
) -> QuestionAsked:
    """Render the current question of a session."""
    text = step_text(flow, step, texts, values)
    if step.kind is StepKind.SUMMARY:
        text = "\n\n".join([text, summary_lines(flow, state, texts, schools)])
    progress = _progress(flow, state, step)
    progress_text = ""
    if progress is not None:
        progress_text = texts.gettext(msg.PROGRESS) % {
            "current": texts.format_number(progress.current),
            "total": texts.format_number(progress.total),
        }
    return QuestionAsked(
        step_id=step.id,
        kind=step.kind,
        text=text,
        options=options(flow, state, step, texts),
        progress=progress,
        hint=_hint(step, state, texts),
        seq=state.seq,
        progress_text=progress_text,
    )


def options(flow: Flow, state: SessionState, step: Step, texts: Localizer) -> tuple[Option, ...]:
    """Return the buttons of a question, each with the input it gives."""
    found = _kind_options(flow, state, step, texts)
    if step.optional:
        found.append(Option(texts.gettext(msg.SKIP), Command(CommandName.SKIP, seq=state.seq)))
    return tuple(found)


def _kind_options(flow: Flow, state: SessionState, step: Step, texts: Localizer) -> list[Option]:
    """Return the buttons a step's kind gives, before skip."""
    seq = state.seq
    current = state.answers.get(step.id)
    if step.kind is StepKind.CHOICE:
        return [
            Option(choice_label(flow, step, c.key, texts), Choose(c.key, seq), c.key == current)
            for c in step.choices
        ]
    if step.kind is StepKind.MULTI:
        found = [
            Option(
                choice_label(flow, step, c.key, texts), Choose(c.key, seq), c.key in state.pending
            )
            for c in step.choices
        ]
        found.append(Option(texts.gettext(msg.DONE), Command(CommandName.DONE, seq=seq)))
        return found
    if step.kind is StepKind.YESNO:
        return [
            Option(texts.gettext(msg.YES), Choose(YES, seq), current == YES),
            Option(texts.gettext(msg.NO), Choose(NO, seq), current == NO),
        ]
    if step.kind is StepKind.CONSENT:
        return [
            Option(texts.gettext(msg.CONSENT_ACCEPT), Choose(YES, seq)),
            Option(texts.gettext(msg.CONSENT_DECLINE), Choose(NO, seq)),
        ]
    if step.kind is StepKind.SCHOOL and ("school_query" in state.context):
        return _school_options(state, texts)
    if step.kind is StepKind.SUMMARY:
        return _summary_options(flow, state, texts)
    return []


def _school_options(state: SessionState, texts: Localizer) -> list[Option]:
    """Offer the schools a search found, then "my school is not listed"."""
    found = [
        Option(
            texts.gettext(msg.SCHOOL_OPTION)
            % {"name": texts.isolate(m.name), "town": texts.isolate(m.town)},
            Choose(m.code, state.seq),
        )
        for m in state.school_matches
    ]
    found.append(Option(texts.gettext(msg.SCHOOL_NOT_LISTED), Choose(NOT_LISTED, state.seq)))
    return found


def _summary_options(flow: Flow, state: SessionState, texts: Localizer) -> list[Option]:
    """Offer confirm, then a change for each answer the parent can go back to."""
    seq = state.seq
    found = [Option(texts.gettext(msg.CONFIRM), Command(CommandName.CONFIRM, seq=seq))]
    found += [
        Option(
            texts.gettext(msg.CHANGE) % {"question": step_label(flow, flow.step(s), texts)},
            Command(CommandName.CHANGE, s, seq=seq),
        )
        for s in _answered_in_order(flow, state)
        if s in state.history
    ]
    return found


def summary_lines(
    flow: Flow, state: SessionState, texts: Localizer, schools: SchoolDirectory | None
) -> str:
    """List every answer given so far, one line each, in flow order."""
    lines = []
    for step_id in _answered_in_order(flow, state):
        step = flow.step(step_id)
        answer = answer_text(
            flow, step, state.answers[step_id], texts, state=state, schools=schools
        )
        line = texts.gettext(msg.SUMMARY_LINE) % {
            "question": step_label(flow, step, texts),
            "answer": answer,
        }
        lines.append(f"• {line}")
    return "\n".join(lines)


def answer_text(
    flow: Flow,
    step: Step,
    value: AnswerValue | list[str],
    texts: Localizer,
    *,
    state: SessionState | None = None,
    schools: SchoolDirectory | None = None,
    short: bool = False,
) -> str:
    """Render one answer: as the parent reads it in a summary, or `short` for staff.

    The one place answers become text: the parent's summary and status, staff's
    /responses, the digests and the exports all call it. A stored multi answer comes
    back from JSON as a list; the engine's is a tuple: both are taken.
    """
    if voice_file_id(value) is not None:
        return texts.gettext(msg.VOICE_ANSWER)
    if short:
        return _short_answer(flow, step, value, texts)
    if isinstance(value, list):
        value = tuple(value)
    if value is None:
        return texts.gettext(msg.SUMMARY_SKIPPED)
    if isinstance(value, tuple):
        return texts.format_list([choice_label(flow, step, key, texts) for key in value])
    if isinstance(value, int):
        return texts.format_number(value)
    if step.kind in (StepKind.YESNO, StepKind.CONSENT):
        return texts.gettext(msg.YES if value == YES else msg.NO)
    if step.kind is StepKind.CHOICE:
        return choice_label(flow, step, value, texts)
    if step.kind is StepKind.PHONE:
        return texts.isolate(display_phone(value))
    if step.kind is StepKind.SCHOOL:
        return _school_name(state, value, texts, schools)
    return texts.isolate(value)


def _short_answer(flow: Flow, step: Step, value: object, texts: Localizer) -> str:
    # Staff read keys' labels, yes or no, or the value as it was given: no formatting.
    if isinstance(value, list | tuple):
        return ", ".join(choice_label(flow, step, str(key), texts) for key in value)
    if step.kind in (StepKind.YESNO, StepKind.CONSENT):
        return texts.gettext(msg.YES if value == YES else msg.NO)
    if step.kind is StepKind.CHOICE:
        return choice_label(flow, step, str(value), texts)
    return str(value)


def _school_name(
    state: SessionState | None, code: str, texts: Localizer, schools: SchoolDirectory | None
) -> str:
    if code == NOT_LISTED:
        query = state.context.get("school_query", "") if state is not None else ""
        return texts.gettext(msg.SUMMARY_SCHOOL_NOT_LISTED) % {"query": texts.isolate(query)}
    match = schools.get(code) if schools is not None else None
    if match is None:
        return texts.isolate(code)
    return texts.gettext(msg.SCHOOL_OPTION) % {
        "name": texts.isolate(match.name),
        "town": texts.isolate(match.town),
    }


def _answered_in_order(flow: Flow, state: SessionState) -> list[str]:
    """Return the answered steps a summary shows, in flow order.

    Consent is left out: it is the condition for the answers, not one of them.
    """
    return [s.id for s in flow.steps if s.id in state.answers and s.kind is not StepKind.CONSENT]


def _progress(flow: Flow, state: SessionState, step: Step) -> Progress | None:
    plan = planned(flow, state)
    if step.id not in plan:
        return None
    return Progress(plan.index(step.id) + 1, len(plan))


def _hint(step: Step, state: SessionState, texts: Localizer) -> str:
    kind = step.kind
    if kind is StepKind.MULTI:
        return texts.gettext(msg.HINT_MULTI)
    if kind is StepKind.NUMBER:
        return range_hint(step, texts)
    if kind is StepKind.TEXT:
        return texts.gettext(msg.HINT_TEXT)
    if kind is StepKind.PHONE:
        return texts.gettext(msg.HINT_PHONE)
    if kind is StepKind.SCHOOL:
        # Before a search the question itself says what to type; the hint would repeat it.
        matched = "school_query" in state.context
        return texts.gettext(msg.HINT_SCHOOL_MATCHES) if matched else ""
    if kind is StepKind.MESSAGE:
        return ""
    return texts.gettext(msg.HINT_CHOICE)
