"""A question as a chat shows it: one message of text, and its options laid out as buttons.

Pure layout of an engine's QuestionAsked, shared by the parents' room, which sends it,
and the flow checker, which renders every step to see that Telegram would take it.
"""

from __future__ import annotations

from bot.engine.events import Option, QuestionAsked
from bot.engine.flow import StepKind
from bot.engine.inputs import Choose
from bot.messages.callbacks import encode
from bot.messages.replies import Button, Rows


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


def spoken(question: QuestionAsked) -> str:
    """Return a question as it is read aloud: its text, then each option with its number.

    The numbers are the ones a parent may type, and the order the buttons are in.
    """
    lines = [question.text]
    lines += [f"{number}. {option.label}." for number, option in enumerate(question.options, 1)]
    return "\n".join(lines)
