"""Follow-up by school staff: the 'contacted' and 'helped' buttons under each family."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.digests import texts as msg
from bot.engine.ports import Localizer
from bot.i18n.localizer import Localizers
from bot.service.callbacks import FollowUp, encode
from bot.service.incoming import Incoming
from bot.service.replies import Button, Replies
from bot.storage.models import Digest, Response, School, Staff

log = logging.getLogger(__name__)

Rows = tuple[tuple[Button, ...], ...]
STATUSES = ("open", "contacted", "helped")
# Staff read Dutch; these short pop-ups are Dutch, like the rest of the staff chat.
NOTED = {"contacted": "Genoteerd: contact gehad.", "helped": "Genoteerd: geholpen."}
ALREADY = "Dit stond al zo."
ALREADY_HELPED = "Dit gezin staat al op 'geholpen'."
GONE = "Dit gezin staat niet meer in Ouderbrug: de gegevens zijn gewist."
FOREIGN = "Dit gezin hoort niet bij uw school. Er is niets veranderd."


def keyboard(
    families: Sequence[tuple[int, int]],
    statuses: Mapping[int, str],
    digest_id: int,
    texts: Localizer,
) -> Rows:
    """Return one row per family: 'contacted' and 'helped', ticked when that is its status."""
    rows = []
    for number, response_id in families:
        status = statuses.get(response_id, "open")
        contacted = texts.gettext(msg.BUTTON_CONTACTED) % {"number": number}
        helped = texts.gettext(msg.BUTTON_HELPED) % {"number": number}
        rows.append(
            (
                Button(
                    f"✓ {contacted}" if status == "contacted" else contacted,
                    encode(FollowUp("contacted", response_id, digest_id)),
                ),
                Button(
                    f"✓ {helped}" if status == "helped" else helped,
                    encode(FollowUp("helped", response_id, digest_id)),
                ),
            )
        )
    return tuple(rows)


def numbered(parts: Sequence[Sequence[int]]) -> list[list[tuple[int, int]]]:
    """Number the families of a digest's stored parts as the digest does, across messages."""
    numbered_parts = []
    number = 0
    for part in parts:
        current = []
        for response_id in part:
            number += 1
            current.append((number, response_id))
        numbered_parts.append(current)
    return numbered_parts


class FollowUps:
    """Takes the staff's follow-up presses; only staff of the family's own school may press."""

    def __init__(self, localizers: Localizers, clock: Clock) -> None:
        self._localizers = localizers
        self._clock = clock

    def press(
        self, db: Session, incoming: Incoming, pressed: FollowUp, replies: Replies, callback: str
    ) -> None:
        """Store the status, who set it and when; redraw the buttons of the pressed message."""
        response = db.get(Response, pressed.response_id, with_for_update=True)
        if response is None:
            replies.answer(callback, GONE)
            return
        member = db.scalar(
            select(Staff).where(
                Staff.school_code == response.school_code,
                Staff.telegram_user_id == incoming.user_id,
                Staff.revoked_at.is_(None),
            )
        )
        if member is None:
            log.info("a follow-up press for another school's family was refused")
            replies.answer(callback, FOREIGN)
            return
        if response.followup_status == pressed.status:
            replies.answer(callback, ALREADY)
        elif response.followup_status == "helped":
            replies.answer(callback, ALREADY_HELPED)
        else:
            response.followup_status = pressed.status
            response.followup_staff_id = member.id
            response.followup_at = self._clock.now()
            log.info("family %s marked %s", response.id, pressed.status)
            replies.answer(callback, NOTED[pressed.status])
        self._redraw(db, response, pressed, incoming, replies)

    def _redraw(
        self,
        db: Session,
        response: Response,
        pressed: FollowUp,
        incoming: Incoming,
        replies: Replies,
    ) -> None:
        action = incoming.action
        message_id = getattr(action, "message_id", None)
        if message_id is None:
            return
        school = db.get(School, response.school_code) if response.school_code else None
        texts = self._localizers.get(school.digest_language if school else "nl")
        families = [(1, response.id)]
        digest = db.get(Digest, pressed.digest_id) if pressed.digest_id else None
        if digest is not None and digest.school_code == response.school_code:
            families = next(
                (
                    part
                    for part in numbered(digest.parts)
                    if any(response_id == response.id for _, response_id in part)
                ),
                families,
            )
        ids = [response_id for _, response_id in families]
        rows = db.execute(select(Response.id, Response.followup_status).where(Response.id.in_(ids)))
        statuses = {response_id: status for response_id, status in rows}
        replies.edit_markup(message_id, keyboard(families, statuses, pressed.digest_id, texts))
