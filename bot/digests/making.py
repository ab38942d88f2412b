"""Make one school's digest in an open transaction: store it, assign its families, queue it.

Everything a digest sends is written in the transaction that assigns its families:
the Telegram parts into the outbox, the e-mail into the mail outbox. A crash before
the commit leaves the families for the next attempt; after it, the senders deliver
what is stored, each part once, however often they are restarted.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.digests import texts as msg
from bot.digests.composer import Composer, records
from bot.digests.followup import keyboard, play_button, voice_notes
from bot.digests.model import Digest, Record
from bot.digests.render import Part, csv_table, mail_body, telegram_parts
from bot.engine.ports import Localizer
from bot.messages.replies import Replies
from bot.storage import models
from bot.storage.models import MailMessage, School
from bot.storage.queue import Queued
from bot.storage.unit import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Made:
    """What making one digest produced: its id, its counts and the messages to send now."""

    digest_id: int
    new_count: int
    open_count: int
    queued: list[Queued]
    mails: int


def families_of(
    unit: UnitOfWork, school: School, listed_before: datetime
) -> tuple[list[Record], list[Record]]:
    """Return the school's families not in any digest yet, and those listed but still open."""
    digests = unit.digests
    new = records(digests.new_families(school.code))
    return new, records(digests.open_families(school.code, listed_before))


def make_digest(
    unit: UnitOfWork,
    composer: Composer,
    school: School,
    due_at: datetime,
    now: datetime,
    listed_before: datetime,
    emails: list[str],
) -> Made | None:
    """Store the school's digest and queue it to every recipient; still-open families are
    those last listed before `listed_before`.

    None when nobody would read it (the families wait for the first digest someone
    receives) or when there are no families to list.
    """
    chats = unit.recipients.receiving_chats(school.code)
    if not chats and not emails:
        return None
    new, still_open = families_of(unit, school, listed_before)
    if not new and not still_open:
        return None
    digest = composer.build(unit, school, new, still_open)
    texts = composer.texts(school)
    parts = telegram_parts(digest, texts)
    row = unit.digests.add(_row(school, due_at, now, digest, parts))
    listed = _assign(unit, school, row.id, new, still_open, now)
    statuses = {r.response_id: r.followup_status for r in (*new, *still_open)}
    voiced = voice_notes(digest)
    queued = _queue_parts(unit, row.id, chats, parts, statuses, texts, voiced)
    if emails:
        mail = _mail_of(row, school, digest, texts, emails, now)
        unit.outbox.mail(mail, listed)
    log.info(
        "digest %s of school %s: %d new, %d still open, %d chats, %d addresses",
        row.id,
        school.code,
        digest.new_count,
        digest.open_count,
        len(chats),
        len(emails),
    )
    return Made(row.id, digest.new_count, digest.open_count, queued, 1 if emails else 0)


def _row(
    school: School, due_at: datetime, now: datetime, digest: Digest, parts: list[Part]
) -> models.Digest:
    """Return the digest's row: its counts, and which families each part shows."""
    return models.Digest(
        school_code=school.code,
        due_at=due_at,
        created_at=now,
        language=school.digest_language,
        new_count=digest.new_count,
        open_count=digest.open_count,
        parts=[[response_id for _, response_id in part.families] for part in parts],
    )


def _assign(
    unit: UnitOfWork,
    school: School,
    digest_id: int,
    new: list[Record],
    still_open: list[Record],
    now: datetime,
) -> list[int]:
    """Put the new families in the digest and mark all of them listed; return them all.

    A family listed again because it changed stays in the digest it first came in.
    """
    new_ids = [record.response_id for record in new if record.previous_answers is None]
    updated = [record.response_id for record in new if record.previous_answers is not None]
    if unit.digests.assign(new_ids, digest_id) != len(new_ids):
        # Only possible if a second digest slipped past the school's lock: give up this one.
        raise RuntimeError(f"families of school {school.code} were taken by another digest")
    listed = new_ids + updated + [record.response_id for record in still_open]
    unit.digests.mark_listed(listed, now)
    return listed


def _queue_parts(
    unit: UnitOfWork,
    digest_id: int,
    chats: Sequence[int],
    parts: list[Part],
    statuses: dict[int, str],
    texts: Localizer,
    voiced: Mapping[int, list[tuple[str, str]]],
) -> list[Queued]:
    """Store every part for every staff chat, each with its follow-up buttons, and
    after it a line with a play button for each voice note of its families."""
    queued: list[Queued] = []
    for chat_id in chats:
        replies = Replies(chat_id)
        for part in parts:
            # Each part names its own families: an erase recalls only the parts it is in.
            shown = tuple(response_id for _, response_id in part.families)
            buttons = keyboard(part.families, statuses, digest_id, texts)
            replies.send(part.text, buttons, carrying=shown)
            for number, response_id in part.families:
                for label, step_id in voiced.get(response_id, ()):
                    text, play = play_button(number, label, response_id, step_id, texts)
                    replies.send(text, play, carrying=(response_id,))
        queued += unit.outbox.queue(replies.chat_id, replies.items, None, digest_id=digest_id)
    return queued


def _mail_of(
    row: models.Digest,
    school: School,
    digest: Digest,
    texts: Localizer,
    emails: list[str],
    now: datetime,
) -> MailMessage:
    """Return the digest's e-mail: the whole text, and the CSV table for Excel."""
    subject = texts.gettext(msg.MAIL_SUBJECT) % {"school": school.name, "date": digest.date}
    return MailMessage(
        digest_id=row.id,
        recipients=emails,
        subject=subject[:300],
        body=mail_body(digest, texts),
        attachment_name=f"ouderbrug-{school.code}-{row.id}.csv",
        attachment=csv_table(digest, texts),
        created_at=now,
        attempts=0,
    )
