"""Render a digest as Telegram messages, an e-mail body and a CSV table: text in, text out."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from bot.digests import texts as msg
from bot.digests.model import Digest, Family, Section
from bot.engine.ports import Localizer
from bot.limits import MESSAGE_LIMIT, pack

if TYPE_CHECKING:
    from _csv import Writer as CsvWriter

# A phone number may start with +; anything else starting so is kept from Excel's formulas.
_PHONE = re.compile(r"\+[0-9 ]+")
# Room kept in every message for the "(part 2 of 3)" line.
_PART_ROOM = 40
HEADINGS = {
    Section.URGENT: msg.SECTION_URGENT,
    Section.BASICS: msg.SECTION_BASICS,
    Section.OTHER: msg.SECTION_OTHER,
    Section.STILL_OPEN: msg.SECTION_STILL_OPEN,
}


@dataclass(frozen=True, slots=True)
class Part:
    """One Telegram message of a digest and the families in it, numbered as in the digest."""

    text: str
    families: tuple[tuple[int, int], ...]  # (number in the digest, response id)


def header(digest: Digest, texts: Localizer) -> str:
    """Return the digest's first lines: whose families, which day, how many."""
    title = texts.gettext(msg.TITLE) % {"school": digest.school}
    counts = texts.ngettext(*msg.COUNTS, digest.new_count) % {
        "new": texts.format_number(digest.new_count),
        "open": texts.format_number(digest.open_count),
    }
    if digest.updated_count:
        updated = texts.format_number(digest.updated_count)
        counts += " " + texts.gettext(msg.UPDATED_COUNT) % {"updated": updated}
    return f"{title}\n{digest.date}\n{counts}"


def section_heading(section: Section, texts: Localizer) -> str:
    """Return the line above a section's first family ("— Dringend … —")."""
    return f"— {texts.gettext(HEADINGS[section])} —"


def part_line(index: int, count: int, texts: Localizer) -> str:
    """Return the "(part 2 of 3)" line of a digest sent as several messages."""
    return texts.gettext(msg.PART) % {
        "part": texts.format_number(index),
        "parts": texts.format_number(count),
    }


def family_block(number: int, family: Family, texts: Localizer) -> str:
    """Return one family's lines: heading, needs, answers, own words, language, contact, time."""
    heading = texts.gettext(msg.FAMILY) % {"number": number, "grade": family.grade}
    if family.updated:
        heading += f" · {texts.gettext(msg.UPDATED)}"
    lines = [f"▶ {heading}"]
    if family.changes:
        lines.append(texts.gettext(msg.CHANGES) % {"changes": "; ".join(family.changes)})
    if family.needs:
        lines.append(texts.gettext(msg.NEEDS) % {"needs": ", ".join(family.needs)})
    lines += [f"{label}: {answer}" for label, answer in family.answers]
    for remark in family.remarks:
        if remark.voice:
            lines.append(f"{remark.label}: 🔊 {remark.original}")
            continue
        lines.append(f"{remark.label}: «{remark.original}»")
        if remark.translation is not None:
            lines.append(texts.gettext(msg.TRANSLATION) % {"text": remark.translation})
        else:
            lines.append(texts.gettext(msg.NOT_TRANSLATED))
    if family.flow:
        lines.append(texts.gettext(msg.FLOW) % {"flow": family.flow})
    lines.append(texts.gettext(msg.LANGUAGE) % {"language": family.language})
    lines.append(texts.gettext(msg.CONTACT) % {"how": contact(family, texts)})
    lines.append(texts.gettext(msg.ANSWERED) % {"when": family.answered_at})
    if family.status:
        lines.append(family.status)
    lines += family.conversation
    return "\n".join(lines)


def contact(family: Family, texts: Localizer) -> str:
    """Return how to reach the family: their choice, the phone number, the bot's chat.

    Never the parent's Telegram account: the school writes through the bot.
    """
    chat = texts.gettext(msg.CONTACT_CHAT)
    return " · ".join(part for part in (family.contact, family.phone, chat) if part)


def blocks(digest: Digest, texts: Localizer) -> list[tuple[str | None, int, Family, str]]:
    """Return (section heading when a section starts, number, family, block) in digest order."""
    found: list[tuple[str | None, int, Family, str]] = []
    current: Section | None = None
    for number, family in enumerate(digest.families, start=1):
        heading = None
        if family.section is not current:
            current = family.section
            heading = section_heading(current, texts)
        found.append((heading, number, family, family_block(number, family, texts)))
    return found


def telegram_parts(digest: Digest, texts: Localizer, limit: int = MESSAGE_LIMIT) -> list[Part]:
    """Split the digest into messages within Telegram's limit, never inside a family."""
    lead = [header(digest, texts)]
    if not digest.families:
        lead.append(texts.gettext(msg.NOTHING))
    found = blocks(digest, texts)
    family_texts = [f"{heading}\n\n{block}" if heading else block for heading, _, _, block in found]
    # The family of each block packed, in order; the lead's blocks are nobody's.
    owners: list[tuple[int, int] | None] = [None] * len(lead)
    owners += [(number, family.response_id) for _, number, family, _ in found]
    groups = pack([*lead, *family_texts], limit - _PART_ROOM)
    parts = []
    start = 0
    for index, group in enumerate(groups, start=1):
        body = "\n\n".join(group)
        if len(groups) > 1:
            body = f"{part_line(index, len(groups), texts)}\n{body}"
        in_part = owners[start : start + len(group)]
        start += len(group)
        parts.append(Part(body, tuple(owner for owner in in_part if owner is not None)))
    return parts


def mail_body(digest: Digest, texts: Localizer) -> str:
    """Return the whole digest as one plain-text e-mail."""
    sections = [header(digest, texts)]
    if not digest.families:
        sections.append(texts.gettext(msg.NOTHING))
    for heading, _number, _family, block in blocks(digest, texts):
        if heading:
            sections.append(heading)
        sections.append(block)
    sections.append(texts.gettext(msg.MAIL_ATTACHMENT))
    return "\n\n".join(sections) + "\n"


def csv_table(digest: Digest, texts: Localizer) -> str:
    """Return the digest as CSV for Excel: one row per family, one column per question."""
    labels = _in_order(label for family in digest.families for label, _ in family.answers)
    remark_labels = _in_order(r.label for family in digest.families for r in family.remarks)
    output = io.StringIO()
    writer = excel_writer(output)
    writer.writerow(_csv_heading(labels, remark_labels, texts))
    rows = [
        _csv_row(number, family, labels, remark_labels, texts)
        for number, family in enumerate(digest.families, start=1)
    ]
    writer.writerows([[excel_cell(value) for value in row] for row in rows])
    return output.getvalue()


def _in_order(labels: Iterable[str]) -> list[str]:
    """Return each label once, where it first came."""
    return list(dict.fromkeys(labels))


def _csv_heading(labels: list[str], remark_labels: list[str], texts: Localizer) -> list[str]:
    """Return the table's first row; each question of own words gets a translation column."""
    translated = texts.gettext(msg.TRANSLATION).split(":")[0]
    return [
        texts.gettext(msg.CSV_FAMILY),
        texts.gettext(msg.CSV_SECTION),
        texts.gettext(msg.CSV_GRADE),
        texts.gettext(msg.NEEDS).split(":")[0],
        *labels,
        *(column for label in remark_labels for column in (label, f"{label} ({translated})")),
        texts.gettext(msg.CSV_LANGUAGE),
        texts.gettext(msg.CSV_CONTACT),
        texts.gettext(msg.CSV_ANSWERED),
        texts.gettext(msg.CSV_STATUS),
        texts.gettext(msg.CSV_FLOW),
        texts.gettext(msg.CSV_CHANGES),
    ]


def _csv_row(
    number: int, family: Family, labels: list[str], remark_labels: list[str], texts: Localizer
) -> list[str]:
    """Return one family's row, empty where the family has no answer."""
    answers = dict(family.answers)
    remarks = {r.label: r for r in family.remarks}
    own_words = []
    for label in remark_labels:
        found = remarks.get(label)
        own_words += [found.original, found.translation or ""] if found else ["", ""]
    return [
        str(number),
        texts.gettext(HEADINGS[family.section]),
        family.grade,
        ", ".join(family.needs),
        *(answers.get(label, "") for label in labels),
        *own_words,
        family.language,
        contact(family, texts),
        family.answered_at,
        family.status,
        family.flow,
        "; ".join(family.changes),
    ]


def excel_writer(output: TextIO) -> CsvWriter:
    """Return a CSV writer for Excel: semicolons, which Excel with Dutch settings splits on."""
    return csv.writer(output, delimiter=";", lineterminator="\r\n")


def excel_cell(value: str) -> str:
    """Keep a parent's words from being run as an Excel formula (=, +, -, @ at the start)."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PHONE.fullmatch(value):
        return "'" + value
    return value
