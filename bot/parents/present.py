"""Turn engine events into replies a chat can show: texts, buttons, pop-ups."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.events import (
    STALE,
    AnswerRejected,
    Event,
    InputIgnored,
    MessageShown,
    Option,
    QuestionAsked,
)
from bot.engine.flow import StepKind
from bot.engine.inputs import Choose
from bot.engine.ports import Localizer
from bot.messages.callbacks import encode
from bot.messages.replies import Button, Replies
from bot.parents import texts as msg

Rows = tuple[tuple[Button, ...], ...]


def question_text(question: QuestionAsked, reason: str = "") -> str:
    """Return a question as one message: why the last answer did not fit, progress, text, hint."""
    parts = [reason, question.progress_text, question.text, question.hint]
    return "\n\n".join(part for part in parts if part)


def buttons(question: QuestionAsked) -> Rows:
    """Lay out a question's options as inline buttons, short ones side by side."""
    choices: list[Button] = []
    commands: list[Button] = []
    for option in question.options:
        target = choices if isinstance(option.input, Choose) else commands
        target.append(Button(_label(question, option), encode(option.input)))
    if question.kind is StepKind.SUMMARY:
        # Confirm stands alone on top; each change below it.
        return tuple((b,) for b in commands)
    return _rows(choices) + _rows(commands)


def present(
    events: Sequence[Event],
    replies: Replies,
    texts: Localizer,
    *,
    pressed_on: int | None = None,
    callback_id: str | None = None,
    contact_label: str | None = None,
) -> None:
    """Queue the replies for what the engine reported.

    `pressed_on` is the message whose button caused the events: ticking a multi
    question edits that message's buttons instead of sending the question again.
    """
    reason = ""
    answered_callback = False
    for event in events:
        if isinstance(event, MessageShown):
            replies.send(event.text)
        elif isinstance(event, AnswerRejected):
            reason = event.reason
        elif isinstance(event, InputIgnored) and event.reason == STALE and callback_id:
            replies.answer(callback_id, texts.gettext(msg.STALE_BUTTON))
            answered_callback = True
        elif isinstance(event, QuestionAsked):
            rows = buttons(event)
            toggled = event.kind is StepKind.MULTI and not reason and _same_question(events)
            if pressed_on is not None and toggled:
                replies.edit_markup(pressed_on, rows)
            else:
                ask = contact_label if event.kind is StepKind.PHONE else None
                replies.send(question_text(event, reason), rows, ask_contact=ask)
            reason = ""
    if reason:
        replies.send(reason)
    if callback_id and not answered_callback:
        replies.answer(callback_id)


def _same_question(events: Sequence[Event]) -> bool:
    # A toggle yields exactly one event: the same question, re-rendered.
    return len(events) == 1


def _label(question: QuestionAsked, option: Option) -> str:
    if question.kind is StepKind.MULTI and isinstance(option.input, Choose):
        return f"✓ {option.label}" if option.selected else option.label
    if option.selected:
        return f"• {option.label}"
    return option.label


def _rows(items: list[Button]) -> Rows:
    if not items:
        return ()
    longest = max(len(b.text) for b in items)
    per_row = 3 if longest <= 10 else 2 if longest <= 18 else 1
    return tuple(tuple(items[i : i + per_row]) for i in range(0, len(items), per_row))
