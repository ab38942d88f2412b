"""Rewrite a digest's unsent messages without families that were erased meanwhile.

Only the messages still waiting change; a rewritten part keeps its header and its part
line, so staff read it as the part it was.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from bot.digests.followup import keyboard, numbered
from bot.digests.model import Digest
from bot.digests.render import (
    Part,
    blocks,
    csv_table,
    family_block,
    header,
    mail_body,
    part_line,
    section_heading,
)
from bot.engine.ports import Localizer
from bot.messages.replies import Reply
from bot.storage import models
from bot.storage.models import MailFamily, MailMessage, OutboxFamily, OutboxMessage


def rewrite_parts(
    db: Session,
    row: models.Digest,
    erased: frozenset[int],
    digest: Digest,
    statuses: dict[int, str],
    texts: Localizer,
) -> None:
    """Give each unsent part that shows an erased family the text of its other families."""
    digest_id = row.id
    links = db.execute(
        select(OutboxFamily.outbox_id, OutboxFamily.response_id)
        .join(OutboxMessage, OutboxMessage.id == OutboxFamily.outbox_id)
        .where(OutboxFamily.digest_id == digest_id, OutboxMessage.sent_at.is_(None))
    ).all()
    shown: dict[int, set[int]] = {}
    for outbox_id, response_id in links:
        shown.setdefault(outbox_id, set()).add(response_id)
    # The families keep the numbers the digest gave them: staff who read it before the
    # erase, and the buttons redrawn after a press (from row.parts), name them so.
    numbers = {r: number for part in numbered(row.parts) for number, r in part}
    for outbox_id, families in shown.items():
        if not families & erased or not families - erased:
            continue  # untouched, or nothing left: the caller deletes it
        place = _place_of(row.parts, families)
        part = part_of(digest, families - erased, texts, place, numbers)
        kept = tuple(r for r in families if r not in erased)
        buttons = keyboard(part.families, statuses, digest_id, texts)
        reply = Reply("send", text=part.text, buttons=buttons, carrying=kept)
        # Claimed anew: a sender holding the old text loses its claim and does not send
        # it; the next sweep sends the new one.
        db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(payload=reply.to_payload(), claim=OutboxMessage.claim + 1, claimed_at=None)
        )
        unlink(db, OutboxFamily, OutboxFamily.outbox_id == outbox_id, erased)


def rewrite_mails(
    db: Session, digest_id: int, erased: frozenset[int], digest: Digest, texts: Localizer
) -> None:
    """Give the digest's unsent e-mail the body and CSV of the families that are left."""
    mails = db.scalars(
        select(MailMessage).where(MailMessage.digest_id == digest_id, MailMessage.sent_at.is_(None))
    )
    for mail in mails:
        mail.body = mail_body(digest, texts)
        mail.attachment = csv_table(digest, texts)
        unlink(db, MailFamily, MailFamily.mail_id == mail.id, erased)


def _place_of(parts: list[list[int]], families: set[int]) -> tuple[int, int]:
    """Return which part of how many holds these families (1-based), as first made."""
    for index, part in enumerate(parts, start=1):
        if families <= set(part):
            return index, len(parts)
    return 0, len(parts)


def part_of(
    digest: Digest,
    response_ids: set[int],
    texts: Localizer,
    place: tuple[int, int] = (0, 1),
    numbers: Mapping[int, int] | None = None,
) -> Part:
    """Return the message that shows only these families of the digest, with their headings.

    The first part keeps the digest's header, and each part of several its "(part 2 of 3)"
    line, so a rewritten part reads as it did; `numbers` gives each family the number it
    had in the digest as first made.
    """
    index, count = place
    chunks: list[str] = []
    if index == 1:
        chunks.append(header(digest, texts))
    families: list[tuple[int, int]] = []
    shown_section = None
    for _heading, number, family, block in blocks(digest, texts):
        if family.response_id not in response_ids:
            continue
        if family.section is not shown_section:
            shown_section = family.section
            chunks.append(section_heading(family.section, texts))
        if numbers is not None and family.response_id in numbers:
            number = numbers[family.response_id]
            block = family_block(number, family, texts)
        chunks.append(block)
        families.append((number, family.response_id))
    text = "\n\n".join(chunks)
    if count > 1 and index:
        # As telegram_parts writes it: the part line directly above the rest.
        text = f"{part_line(index, count, texts)}\n{text}"
    return Part(text, tuple(families))


def unlink(
    db: Session,
    table: type[OutboxFamily] | type[MailFamily],
    message: ColumnElement[bool],
    erased: frozenset[int],
) -> None:
    """Drop a rewritten message's links to the erased families, so it is kept."""
    db.execute(delete(table).where(message, table.response_id.in_(erased)))
