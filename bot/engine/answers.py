"""Turn what a parent typed into an answer value, or a reason why it does not fit."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

import phonenumbers

from bot.engine import texts as msg
from bot.engine.flow import Step
from bot.engine.ports import Localizer

# The longest free text we keep when a flow sets no limit of its own.
DEFAULT_MAX_LENGTH = 1000
PHONE_REGION = "NL"
# Unicode categories that draw nothing by themselves: controls, format characters
# (zero-width space and joiners, word joiner, byte order mark, soft hyphen, direction
# marks), separators and lone surrogates; marks with no letter to sit on show nothing either.
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})
_MARKS: Final = frozenset({"Mn", "Me"})
# Letters and symbols that are drawn as blank space, used to fake an empty message.
_BLANK_LETTERS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800")


# A free-text answer given as a voice note is stored as this mark and the note's file id.
# The mark starts with an invisible separator, which a typed answer never keeps at its
# start (visible_text strips it): no text a parent types can pass for a voice note.
VOICE_MARK: Final = "\u2063voice:"


def voice_answer(file_id: str) -> str:
    """Return the stored answer of a voice note."""
    return VOICE_MARK + file_id


def voice_file_id(value: object) -> str | None:
    """Return the file id of a stored voice-note answer; None for any other answer."""
    if isinstance(value, str) and value.startswith(VOICE_MARK):
        return value[len(VOICE_MARK) :] or None
    return None


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a typed answer was not accepted, already in the parent's language."""

    reason: str


def parse_number(step: Step, typed: str, texts: Localizer) -> int | Rejection:
    """Read a whole number within the step's range."""
    cleaned = typed.strip().replace(" ", "")
    try:
        # int() reads any Unicode decimal digits, so Arabic-Indic ٣ works as 3.
        value = int(cleaned)
    except ValueError:
        return Rejection(texts.gettext(msg.REJECT_NUMBER))
    low, high = step.min, step.max
    if (low is not None and value < low) or (high is not None and value > high):
        return Rejection(range_hint(step, texts, rejecting=True))
    return value


def range_hint(step: Step, texts: Localizer, *, rejecting: bool = False) -> str:
    """Say which numbers a number step takes."""
    low, high = step.min, step.max
    fmt = texts.format_number
    if low is not None and high is not None:
        message = msg.REJECT_NUMBER_RANGE if rejecting else msg.HINT_NUMBER
        return texts.gettext(message) % {"min": fmt(low), "max": fmt(high)}
    if low is not None:
        return texts.gettext(msg.REJECT_NUMBER_MIN) % {"min": fmt(low)}
    if high is not None:
        return texts.gettext(msg.REJECT_NUMBER_MAX) % {"max": fmt(high)}
    return texts.gettext(msg.HINT_NUMBER_OPEN)


def parse_text(step: Step, typed: str, texts: Localizer) -> str | Rejection:
    """Accept a free text that is not empty and not too long."""
    value = visible_text(typed)
    if not value:
        return Rejection(texts.gettext(msg.REJECT_TEXT_EMPTY))
    limit = step.max_length or DEFAULT_MAX_LENGTH
    if len(value) > limit:
        return Rejection(texts.gettext(msg.REJECT_TEXT_LONG) % {"max": texts.format_number(limit)})
    return value


def visible_text(typed: str) -> str:
    """Return the typed text without invisible characters around it; "" when nothing shows."""
    # A lone surrogate cannot be encoded to send or store; it is never meant.
    kept = "".join(c for c in typed if unicodedata.category(c) != "Cs")
    if all(_invisible(c) or unicodedata.category(c) in _MARKS for c in kept):
        return ""
    start, end = 0, len(kept)
    while _invisible(kept[start]):
        start += 1
    # Marks stay: a decomposed "é" ends in one.
    while _invisible(kept[end - 1]):
        end -= 1
    return kept[start:end]


def _invisible(char: str) -> bool:
    return char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def parse_phone(typed: str, texts: Localizer) -> str | Rejection:
    """Read a phone number (Dutch unless it says otherwise) and return it as E.164."""
    try:
        number = phonenumbers.parse(typed.strip(), PHONE_REGION)
    except phonenumbers.NumberParseException:
        return Rejection(texts.gettext(msg.REJECT_PHONE))
    if not phonenumbers.is_valid_number(number):
        return Rejection(texts.gettext(msg.REJECT_PHONE))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """Format a stored E.164 number the way people read it."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_SEPARATORS = re.compile(r"[\s,;،]+")


def split_picks(typed: str) -> list[str]:
    """Split '1 3', '1,3' or '1، 3' into the separate picks."""
    return [part for part in _SEPARATORS.split(typed.strip()) if part]
