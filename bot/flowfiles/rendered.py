"""Render every step of a flow as a parent would get it, and check that Telegram takes it.

A text can fit on its own and still not be sendable once the bot adds the progress, the
hint, the reason an answer was refused, or (in the summary) every answer. So the check
renders with the engine and the presenter the bot itself uses, at the largest question
number a button carries, with the longest answers a parent can give.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from bot.engine import texts as engine_texts
from bot.engine.answers import DEFAULT_MAX_LENGTH, range_hint
from bot.engine.events import QuestionAsked
from bot.engine.flow import Flow, Step, StepKind
from bot.engine.ports import Localizer
from bot.engine.render import YES, choice_label, question
from bot.engine.state import SEQ_LIMIT, AnswerValue, SchoolMatch, SessionState
from bot.flowfiles.positions import Positions
from bot.flowfiles.problems import Code, Reporter
from bot.i18n.entries import TELEGRAM_TEXT_LIMIT, telegram_length
from bot.messages.questions import buttons, question_text

# The longest school name and town the database keeps, and a query a parent may type.
_SCHOOL: Final = SchoolMatch("99XX00", "N" * 200, "T" * 100)
_LONGEST_NUMBER: Final = 10**15
_LONGEST_PHONE: Final = "+123456789012345"
# Reasons an answer is refused that take no number: the longest one is shown above a question.
_PLAIN_REASONS: Final = (
    engine_texts.REJECT_CHOOSE,
    engine_texts.REJECT_NUMBER,
    engine_texts.REJECT_TEXT_EMPTY,
    engine_texts.REJECT_PHONE,
    engine_texts.REJECT_SCHOOL_NONE_FOUND,
    engine_texts.REJECT_NOT_OPTIONAL,
    engine_texts.REJECT_FIRST_QUESTION,
    engine_texts.HINT_SCHOOL,
)


class _LongestSchools:
    """A school directory whose every school has the longest name the database keeps."""

    def search(self, query: str, limit: int) -> Sequence[SchoolMatch]:
        """Return as many of the longest schools as are offered."""
        return [_SCHOOL] * limit

    def get(self, code: str) -> SchoolMatch | None:
        """Return the longest school."""
        return _SCHOOL


def check_rendered(
    flow: Flow, positions: Positions, texts: Localizer, language: str, report: Reporter
) -> None:
    """Report each step whose message, as the parent gets it in `language`, Telegram refuses."""
    for step in flow.steps:
        where = positions.step(step.id, "text")
        for what, message in _messages(flow, step, texts):
            length = telegram_length(message)
            if length > TELEGRAM_TEXT_LIMIT:
                text = (
                    f"in {language} the {what} is {length} characters long as the parent gets "
                    f"it; Telegram sends at most {TELEGRAM_TEXT_LIMIT}: {_advice(step)}"
                )
                report.error(where, step.id, Code.TOO_LONG, text)
                break
        if step.kind is not StepKind.MESSAGE:
            try:
                # Building the buttons encodes their data, which refuses over 64 bytes.
                buttons(_question(flow, step, texts))
            except ValueError as error:
                report.error(where, step.id, Code.TOO_LONG, f"a button cannot be sent: {error}")


def _messages(flow: Flow, step: Step, texts: Localizer) -> Iterator[tuple[str, str]]:
    context = flow.context(step)
    if step.kind is StepKind.MESSAGE:
        yield "message", texts.pgettext(context, step.text)
        return
    if step.declined is not None:
        yield "declined text", texts.pgettext(context, step.declined)
    summary = step.kind is StepKind.SUMMARY
    what = "summary, with every answer as long as allowed," if summary else "question"
    yield what, question_text(_question(flow, step, texts), _longest_reason(step, texts))


def _question(flow: Flow, step: Step, texts: Localizer) -> QuestionAsked:
    return question(flow, _worst_state(flow, step, texts), step, texts, _LongestSchools())


def _worst_state(flow: Flow, step: Step, texts: Localizer) -> SessionState:
    before = [s for s in flow.steps[: flow.position(step.id)] if s.answered]
    answers = {s.id: _longest_answer(flow, s, texts) for s in before}
    context = {"school_query": "Q" * 200} if step.kind is StepKind.SCHOOL else {}
    return SessionState(
        flow_id=flow.id,
        flow_version=flow.version,
        flow_revision=flow.revision,
        language=flow.source_language,
        current=step.id,
        answers=answers,
        history=tuple(answers),
        context=context,
        school_matches=(_SCHOOL,) * 5 if context else (),
        seq=SEQ_LIMIT - 1,
    )


def _longest_answer(flow: Flow, step: Step, texts: Localizer) -> AnswerValue:
    kind = step.kind
    if kind is StepKind.TEXT:
        return "x" * (step.max_length or DEFAULT_MAX_LENGTH)
    if kind is StepKind.NUMBER:
        return step.max if step.max is not None else _LONGEST_NUMBER
    if kind is StepKind.PHONE:
        return _LONGEST_PHONE
    if kind is StepKind.SCHOOL:
        return _SCHOOL.code
    if kind is StepKind.MULTI:
        return tuple(c.key for c in step.choices)
    if kind is StepKind.CHOICE:
        # The longest label in this language, which need not be the longest in Dutch.
        return max(step.choices, key=lambda c: len(choice_label(flow, step, c.key, texts))).key
    return YES


def _longest_reason(step: Step, texts: Localizer) -> str:
    reasons = [texts.gettext(r) for r in _PLAIN_REASONS]
    if step.kind is StepKind.TEXT:
        limit = texts.format_number(step.max_length or DEFAULT_MAX_LENGTH)
        reasons.append(texts.gettext(engine_texts.REJECT_TEXT_LONG) % {"max": limit})
    if step.kind is StepKind.NUMBER:
        reasons.append(range_hint(step, texts, rejecting=True))
    if step.kind is StepKind.MULTI:
        count = texts.format_number(len(step.choices))
        for singular, plural in (engine_texts.REJECT_AT_LEAST, engine_texts.REJECT_AT_MOST):
            reasons.append(texts.ngettext(singular, plural, 2) % {"min": count, "max": count})
    return max(reasons, key=telegram_length)


def _advice(step: Step) -> str:
    if step.kind is StepKind.SUMMARY:
        return "shorten the labels, or lower max_length of the text questions before it"
    return "shorten the text or its translation"
