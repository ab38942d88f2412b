"""The printable letter for parents: the school's link and QR code, a line per language.

Parents read it, so its lines come from the gettext catalogs, each in its own language.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

from bot.engine.texts import N_
from bot.i18n.languages import SUPPORTED, language
from bot.i18n.localizer import Localizers
from bot.schools.links import deep_link, parent_payload

# TRANSLATORS: heading of the letter schools hand out with the parent link and QR code
LETTER_TITLE = N_("Vragen van school over leren thuis")
# TRANSLATORS: one line per language on the school's letter, under the QR code
LETTER_LINE = N_(
    "Heeft uw kind thuis een laptop, internet en hulp bij schoolwerk? Scan de QR-code met "
    "uw telefoon of open de link, en beantwoord een paar vragen in uw eigen taal."
)


@dataclass(frozen=True, slots=True)
class LetterLine:
    """What the letter says in one language."""

    code: str
    name: str
    title: str
    line: str
    rtl: bool


@dataclass(frozen=True, slots=True)
class Letter:
    """The link, its QR code as inline SVG, and the lines in the chosen languages."""

    link: str
    qr_svg: str
    lines: tuple[LetterLine, ...]


def chosen_languages(asked: list[str]) -> tuple[str, ...]:
    """Return the languages for the letter: Dutch first, then those asked for (all by default)."""
    picked = [code for code in SUPPORTED if code in asked] or list(SUPPORTED)
    return ("nl", *(code for code in picked if code != "nl"))


def letter(
    school_code: str, bot_username: str, languages: tuple[str, ...], localizers: Localizers
) -> Letter | None:
    """Return the school's letter, or None while the bot's username is unknown."""
    try:
        link = deep_link(bot_username, parent_payload(school_code))
    except ValueError:
        return None
    qr = segno.make_qr(link, error="m")
    lines = []
    for code in languages:
        texts = localizers.get(code)
        described = language(code)
        lines.append(
            LetterLine(
                code,
                described.native_name,
                texts.gettext(LETTER_TITLE),
                texts.gettext(LETTER_LINE),
                described.rtl,
            )
        )
    return Letter(link, qr.svg_inline(scale=5, dark="#000", title=link), tuple(lines))
