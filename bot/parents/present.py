"""Turn engine events into replies a chat can show: texts, buttons, pop-ups."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.events import (
    STALE,
    AnswerRejected,
    Event,
    InputIgnored,
    MessageShown,
    QuestionAsked,
)
from bot.engine.flow import StepKind
from bot.engine.ports import Localizer
from bot.messages import questions
from bot.messages.replies import Button, Replies
from bot.parents import texts as msg

Rows = tuple[tuple[Button, ...], ...]


def question_text(question: QuestionAsked, reason: str = "") -> str:
    """Return a question as one message: why the last answer did not fit, progress, text, hint."""
    return questions.question_text(question, reason)


def buttons(question: QuestionAsked) -> Rows:
    """Lay out a question's options as inline buttons, short ones side by side."""
    return questions.buttons(question)


def present(
    events: Sequence[Event],
    replies: Replies,
    texts: Localizer,
    *,
    pressed_on: int | None = None,
    callback_id: str | None = None,
    contact_label: str | None = None,
    read_aloud: str | None = None,
) -> None:
    """Queue the replies for what the engine reported.

    `pressed_on` is the message whose button caused the events: ticking a multi
    question edits that message's buttons instead of sending the question again.
    `read_aloud` is the parent's language when each question also comes as a voice note.
    """
    reason = ""
    answered_callback = False
    for event in events:
        if isinstance(event, MessageShown):
            replies.send(event.text)
            if read_aloud:
                replies.voice(event.text, read_aloud, entry=event.text)
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
                if read_aloud:
                    replies.voice(questions.spoken(event), read_aloud, entry=event.text)
            reason = ""
    if reason:
        replies.send(reason)
    if callback_id and not answered_callback:
        replies.answer(callback_id)


def _same_question(events: Sequence[Event]) -> bool:
    # A toggle yields exactly one event: the same question, re-rendered.
    return len(events) == 1
