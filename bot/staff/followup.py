"""Follow-up by school staff: the 'contacted' and 'helped' buttons under each family."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from datetime import datetime

from bot.clock import Clock
from bot.digests.followup import keyboard, numbered
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import FollowUp
from bot.messages.followup import FollowUpStatus
from bot.messages.incoming import ButtonPressed, Incoming
from bot.messages.replies import Replies
from bot.storage.models import Response
from bot.storage.unit import UnitOfWork

log = logging.getLogger(__name__)

# Staff read Dutch; these short pop-ups are Dutch, like the rest of the staff chat.
NOTED = {
    FollowUpStatus.CONTACTED: "Genoteerd: contact gehad.",
    FollowUpStatus.HELPED: "Genoteerd: geholpen.",
}
# One answer for every press that is not ours to take, whether or not the family exists.
NOT_YOURS = "Dit gezin is niet (meer) te vinden bij uw school. Er is niets veranderd."
ALREADY = "Dit stond al zo."
ALREADY_HELPED = "Dit gezin staat al op 'geholpen'."
GONE = "Dit gezin staat niet meer in Ouderbrug: de gegevens zijn gewist."


def set_status(
    uow: UnitOfWork,
    response_id: int,
    status: FollowUpStatus,
    allowed: Collection[str] | None,
    by: tuple[int | None, datetime],
) -> str | None:
    """Set a family's follow-up as the Telegram buttons do, from the dashboard.

    `allowed` are the schools the user may act for (None: every school, a coordinator);
    `by` is the staff membership that set it (None for a coordinator) and when. Returns
    the answer for the user, or None when the family is not theirs (or not there), which
    the caller refuses alike, whatever the id.
    """
    response = uow.families.for_followup(response_id)
    code = response.school_code if response is not None else None
    if response is None or code is None or (allowed is not None and code not in allowed):
        return None
    if response.followup_status == status:
        return ALREADY
    if response.followup_status == FollowUpStatus.HELPED:
        return ALREADY_HELPED
    response.followup_status = status.value
    response.followup_staff_id, response.followup_at = by
    log.info("family %s marked %s on the dashboard", response.id, status)
    return NOTED[status]


class FollowUps:
    """Takes the staff's follow-up presses; only staff of the family's own school may press."""

    def __init__(self, localizers: Localizers, clock: Clock) -> None:
        self._localizers = localizers
        self._clock = clock

    def press(self, uow: UnitOfWork, incoming: Incoming, pressed: FollowUp) -> Replies:
        """Store the status, who set it and when; answer the press and redraw its buttons.

        Button data can be forged: whoever is not active staff of the family's school gets
        one answer whatever the id (a family of another school, erased, never there), so
        no press tells them which families exist.
        """
        replies = Replies(incoming.chat_id)
        action = incoming.action
        callback = action.callback_id if isinstance(action, ButtonPressed) else ""
        schools = uow.staff.memberships(incoming.user_id)
        response = uow.families.for_followup(pressed.response_id) if schools else None
        code = response.school_code if response is not None else None
        if response is None or code is None or code not in schools:
            if response is None and self._was_in_own_digest(uow, pressed, schools):
                replies.answer(callback, GONE)
            else:
                log.info("a follow-up press that was not the sender's to make was refused")
                replies.answer(callback, NOT_YOURS)
            return replies
        if response.followup_status == pressed.status:
            replies.answer(callback, ALREADY)
        elif response.followup_status == FollowUpStatus.HELPED:
            replies.answer(callback, ALREADY_HELPED)
        else:
            response.followup_status = pressed.status.value
            response.followup_staff_id = schools[code]
            response.followup_at = self._clock.now()
            log.info("family %s marked %s", response.id, pressed.status)
            replies.answer(callback, NOTED[pressed.status])
        if isinstance(action, ButtonPressed):
            self._redraw(uow, response, pressed, action.message_id, replies)
        return replies

    @staticmethod
    def _was_in_own_digest(uow: UnitOfWork, pressed: FollowUp, schools: Mapping[str, int]) -> bool:
        """Tell whether the family was in a digest of the sender's own school: then it was
        theirs to know, and saying it was erased tells them nothing new."""
        digest = uow.families.digest(pressed.digest_id) if pressed.digest_id else None
        return (
            digest is not None
            and digest.school_code in schools
            and any(pressed.response_id in part for part in digest.parts)
        )

    def _redraw(
        self,
        uow: UnitOfWork,
        response: Response,
        pressed: FollowUp,
        message_id: int,
        replies: Replies,
    ) -> None:
        """Redraw the buttons of the pressed message: every family it shows, as they stand."""
        school = uow.schools.get(response.school_code) if response.school_code else None
        texts = self._localizers.get(school.digest_language if school else "nl")
        families = [(1, response.id)]
        digest = uow.families.digest(pressed.digest_id) if pressed.digest_id else None
        if digest is not None and digest.school_code == response.school_code:
            families = next(
                (
                    part
                    for part in numbered(digest.parts)
                    if any(response_id == response.id for _, response_id in part)
                ),
                families,
            )
        statuses = uow.families.statuses([response_id for _, response_id in families])
        # An erased family keeps its number but loses its buttons.
        families = [(number, r) for number, r in families if r in statuses]
        replies.edit_markup(message_id, keyboard(families, statuses, pressed.digest_id, texts))
