"""Which translations the bot can use: sendable, within Telegram's limit, formatted as the source.

`i18n check` reports every entry refused here, and the bot leaves it out, so a parent
sees the Dutch text instead of a message that can never be sent or a question that
raises when its numbers are filled in.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from babel.messages.catalog import Message

from bot.engine.answers import visible_text

# Telegram refuses a message text longer than this, counted in UTF-16 code units.
TELEGRAM_TEXT_LIMIT: Final = 4096

# How the bot fills in its own texts at run time: `gettext(...) % {"name": ...}`.
_PERCENT_NAMED: Final = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_PERCENT_ANY: Final = re.compile(r"%%|" + _PERCENT_NAMED.pattern)
# str.format fields, for texts written with `{name}`.
_BRACE_NAMED: Final = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


def telegram_length(text: str) -> int:
    """Return a text's length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def lone_surrogate(text: str) -> str | None:
    """Return the first half of an emoji standing alone in a text, None when there is none."""
    return next((c for c in text if unicodedata.category(c) == "Cs"), None)


def printable(text: str) -> str:
    """Return a text that can be printed and logged: lone surrogates as \\udxxx escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def unusable(message: Message) -> str | None:
    """Return why a translated entry cannot be used, in a plain sentence; None when it can."""
    sources = _forms(message.id)
    for translation in _forms(message.string):
        if not translation:
            continue
        reason = _unsendable(translation) or _unformattable(message, sources, translation)
        if reason is not None:
            return reason
    return None


def _forms(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple | list):
        return tuple(str(v) for v in value)
    return (str(value),) if value else ()


def _unsendable(translation: str) -> str | None:
    if not visible_text(translation):
        return "the translation shows nothing (only spaces or invisible characters); translate it"
    half = lone_surrogate(translation)
    if half is not None:
        return (
            f"the translation holds half of an emoji (U+{ord(half):04X}) that cannot be sent; "
            "type the emoji again or remove it"
        )
    length = telegram_length(translation)
    if length > TELEGRAM_TEXT_LIMIT:
        return (
            f"the translation is {length} characters long; Telegram sends at most "
            f"{TELEGRAM_TEXT_LIMIT} in one message, so shorten it"
        )
    return None


def _unformattable(message: Message, sources: tuple[str, ...], translation: str) -> str | None:
    # Flow texts (they have a context) are shown as they are; only the bot's own texts
    # with placeholders are filled in.
    if message.context:
        return None
    percent = sorted({n for s in sources for n in _PERCENT_NAMED.findall(s)})
    if percent:
        return _percent_problem(translation, percent)
    brace = sorted({n for s in sources for n in _BRACE_NAMED.findall(s)})
    if brace:
        return _brace_problem(translation, brace)
    return None


def _percent_problem(translation: str, names: list[str]) -> str | None:
    known = ", ".join(f"%({n})s" for n in names)
    for name in _PERCENT_NAMED.findall(translation):
        if name not in names:
            return (
                f"the translation uses %({name})s, which the Dutch text does not have; use {known}"
            )
    leftover = _PERCENT_ANY.sub("", translation)
    if "%(" in leftover:
        return f"a placeholder in the translation is not complete; write it as {known}"
    if re.search(r"%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]", leftover):
        return f"the translation has a placeholder without a name, such as %s; use {known}"
    if "%" in leftover:
        return (
            "a % sign in the translation is read as a placeholder; write %% for a percent "
            "sign (for example %%50)"
        )
    try:
        translation % dict.fromkeys(names, 0)
    except (KeyError, ValueError, TypeError):
        return f"the translation cannot be filled in; write its placeholders as {known}"
    return None


def _brace_problem(translation: str, names: list[str]) -> str | None:
    known = ", ".join(f"{{{n}}}" for n in names)
    try:
        translation.format(**dict.fromkeys(names, 0))
    except KeyError as missing:
        name = missing.args[0]
        return f"the translation uses {{{name}}}, which the Dutch text does not have; use {known}"
    except (IndexError, ValueError):
        return "a { or } in the translation is read as a placeholder; write {{ or }} for it"
    return None
