"""Follow-up by school staff: the 'contacted' and 'helped' buttons under each family."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.digests.followup import keyboard, numbered
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import FollowUp
from bot.messages.incoming import Incoming
from bot.messages.replies import Replies
from bot.storage.models import Digest, Response, School, Staff

log = logging.getLogger(__name__)

# Staff read Dutch; these short pop-ups are Dutch, like the rest of the staff chat.
NOTED = {"contacted": "Genoteerd: contact gehad.", "helped": "Genoteerd: geholpen."}
# One answer for every press that is not ours to take, whether or not the family exists.
NOT_YOURS = "Dit gezin is niet (meer) te vinden bij uw school. Er is niets veranderd."
ALREADY = "Dit stond al zo."
ALREADY_HELPED = "Dit gezin staat al op 'geholpen'."
GONE = "Dit gezin staat niet meer in Ouderbrug: de gegevens zijn gewist."


class FollowUps:
    """Takes the staff's follow-up presses; only staff of the family's own school may press."""

    def __init__(self, localizers: Localizers, clock: Clock) -> None:
        self._localizers = localizers
        self._clock = clock

    def press(
        self, db: Session, incoming: Incoming, pressed: FollowUp, replies: Replies, callback: str
    ) -> None:
        """Store the status, who set it and when; redraw the buttons of the pressed message.

        Button data can be forged: whoever is not active staff of the family's school gets
        one answer whatever the id (a family of another school, erased, never there), so
        no press tells them which families exist.
        """
        schools = self._schools_of(db, incoming.user_id)
        response = db.get(Response, pressed.response_id, with_for_update=True) if schools else None
        if response is None or response.school_code not in schools:
            if response is None and self._was_in_own_digest(db, pressed, schools):
                replies.answer(callback, GONE)
            else:
                log.info("a follow-up press that was not the sender's to make was refused")
                replies.answer(callback, NOT_YOURS)
            return
        member_id = schools[response.school_code]
        if response.followup_status == pressed.status:
            replies.answer(callback, ALREADY)
        elif response.followup_status == "helped":
            replies.answer(callback, ALREADY_HELPED)
        else:
            response.followup_status = pressed.status
            response.followup_staff_id = member_id
            response.followup_at = self._clock.now()
            log.info("family %s marked %s", response.id, pressed.status)
            replies.answer(callback, NOTED[pressed.status])
        self._redraw(db, response, pressed, incoming, replies)

    @staticmethod
    def _schools_of(db: Session, user_id: int) -> dict[str | None, int]:
        """Return the schools the user is active staff of, with their membership's id."""
        rows = db.execute(
            select(Staff.school_code, Staff.id).where(
                Staff.telegram_user_id == user_id, Staff.revoked_at.is_(None)
            )
        )
        return {code: member_id for code, member_id in rows}

    @staticmethod
    def _was_in_own_digest(
        db: Session, pressed: FollowUp, schools: Mapping[str | None, int]
    ) -> bool:
        """Tell whether the family was in a digest of the sender's own school: then it was
        theirs to know, and saying it was erased tells them nothing new."""
        digest = db.get(Digest, pressed.digest_id) if pressed.digest_id else None
        return (
            digest is not None
            and digest.school_code in schools
            and any(pressed.response_id in part for part in digest.parts)
        )

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
        # An erased family keeps its number but loses its buttons.
        families = [(number, r) for number, r in families if r in statuses]
        replies.edit_markup(message_id, keyboard(families, statuses, pressed.digest_id, texts))
