"""School staff in their chat: joining through the staff link, and /responses of their school."""

from __future__ import annotations

import logging

from bot.engine.ports import Localizer
from bot.limits import MESSAGE_LIMIT, pack
from bot.messages.incoming import Incoming
from bot.messages.replies import Replies
from bot.staff.families import FamilyCards, FlowRevisions, SchoolNames
from bot.staff.writing import write_buttons
from bot.storage.models import Staff
from bot.storage.unit import UnitOfWork

log = logging.getLogger(__name__)

# How many recent families /responses lists per school.
RECENT = 20
INVALID_LINK = "Deze personeelslink is niet (meer) geldig. Vraag de coördinator om een nieuwe."
# The same for the old link and a new one: only a coordinator reinstates (`staff reinstate`).
REVOKED = (
    "U ontvangt de antwoorden van deze school niet meer. Klopt dat niet? Vraag het de coördinator."
)


class SchoolStaff:
    """What a school's staff members can do in their chat. Staff read Dutch; so do these texts.

    Each use case takes the open unit of work and the update, and returns the replies to
    the sender's chat: the caller stores them with the transaction.
    """

    def __init__(self, registry: FlowRevisions, schools: SchoolNames, dutch: Localizer) -> None:
        self._schools = schools
        self._cards = FamilyCards(registry, schools, dutch)

    def join(self, uow: UnitOfWork, incoming: Incoming, token: str) -> Replies:
        """Make the sender a recipient for the school whose staff link they opened."""
        replies = Replies(incoming.chat_id)
        school = uow.schools.by_staff_token(token)
        if school is None:
            replies.send(INVALID_LINK)
            return replies
        member = uow.staff.of_school(school.code, incoming.user_id)
        if member is not None and member.revoked_at is not None:
            log.info("a revoked staff member of school %s opened its link; refused", school.code)
            replies.send(REVOKED)
            return replies
        if member is None:
            member = Staff(school_code=school.code, telegram_user_id=incoming.user_id)
            uow.staff.add(member)
        member.chat_id = incoming.chat_id
        member.name = incoming.name[:200]
        member.inactive_at = None  # opening the link again means the chat works again
        log.info("staff member joined school %s", school.code)
        replies.send(
            f"Welkom! U ontvangt voortaan de antwoorden van ouders van {school.name}. "
            "Typ /responses om de nieuwste te zien."
        )
        return replies

    def is_staff(self, uow: UnitOfWork, user_id: int) -> bool:
        """Tell whether a Telegram user is active staff of any school."""
        return bool(uow.staff.memberships(user_id))

    def responses(self, uow: UnitOfWork, incoming: Incoming) -> Replies:
        """List the newest responses of the staff member's own schools, and of no other."""
        replies = Replies(incoming.chat_id)
        for code in uow.staff.memberships(incoming.user_id):
            rows = uow.families.newest(code, RECENT)
            if not rows:
                replies.send(f"{self._schools.describe(code)}: nog geen antwoorden.")
                continue
            noun = "nieuwste gezin" if len(rows) == 1 else "nieuwste gezinnen"
            header = f"{self._schools.describe(code)}: {len(rows)} {noun}"
            # As the digest: as many messages as needed, each family whole in one of them,
            # and each linked to the families it shows, so that an erase recalls it.
            owners = [None, *(r.id for r in rows)]  # the header shows no family
            start = 0
            for group in pack([header, *(self._cards.card(uow, r) for r in rows)], MESSAGE_LIMIT):
                shown = owners[start : start + len(group)]
                start += len(group)
                carrying = tuple(r for r in shown if r is not None)
                replies.send("\n\n".join(group), write_buttons(carrying), carrying=carrying)
        return replies
