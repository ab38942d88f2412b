"""The messages a conversation sends, composed from a stored message; no I/O here."""

from __future__ import annotations

from bot.conversations import texts as msg
from bot.engine.ports import Localizer
from bot.i18n.languages import language
from bot.messages.callbacks import AnswerSchool, ShowOriginal, WriteToFamily, encode
from bot.messages.replies import Button, Rows
from bot.storage.models import ConversationMessage

Letter = tuple[str, Rows, tuple[int, ...]]


def to_parent(message: ConversationMessage, school: str, texts: Localizer) -> Letter:
    """Return a staff message as the parent reads it: who wrote, translated or not, buttons."""
    names = {"school": texts.isolate(school), "name": texts.isolate(message.staff_name or "")}
    answer = Button(texts.gettext(msg.ANSWER_SCHOOL), encode(AnswerSchool(message.id)))
    if message.translation is None and not message.untranslated:
        # The parent reads the school's own language: nothing was translated.
        heading = texts.gettext(msg.FROM_SCHOOL_PLAIN) % names
        return f"{heading}\n\n{message.text}", ((answer,),), ()
    if message.translation is None:
        heading = texts.gettext(msg.FROM_SCHOOL_DUTCH) % names
        return f"{heading}\n\n{message.text}", ((answer,),), ()
    heading = texts.gettext(msg.FROM_SCHOOL) % names
    original = Button(texts.gettext(msg.SHOW_ORIGINAL), encode(ShowOriginal(message.id)))
    return f"{heading}\n\n{message.translation}", ((original, answer),), ()


def to_staff(message: ConversationMessage) -> Letter:
    """Return a parent's message as staff read it: translation beside the original, in Dutch."""
    number = message.response_id or 0
    lines = [msg.FROM_FAMILY.format(number=number, language=language(message.language).dutch_name)]
    if message.translation is not None:
        lines.append(msg.TRANSLATED.format(text=message.translation))
    elif message.untranslated:
        lines.append(msg.NOT_TRANSLATED)
    lines.append(msg.ORIGINAL.format(text=message.text))
    buttons: tuple[tuple[Button, ...], ...] = ()
    if number:
        write = Button(msg.WRITE_BUTTON.format(number=number), encode(WriteToFamily(number)))
        buttons = ((write,),)
    return "\n".join(lines), buttons, (number,) if number else ()


def outcome_notice(message: ConversationMessage) -> str:
    """Return what the writer of a staff message is told once its delivery ended."""
    number = message.response_id or 0
    if message.state == "delivered":
        done = msg.UNTRANSLATED if message.untranslated else msg.DELIVERED
        return done.format(number=number)
    if message.state == "blocked":
        return msg.BLOCKED.format(number=number)
    return msg.FAILED.format(number=number)
