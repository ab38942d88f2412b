"""School staff in their chat: joining through the invite link, and /responses of their school."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digests.build import Dates
from bot.engine.flow import StepKind
from bot.engine.ports import Localizer
from bot.engine.render import answer_text, step_label
from bot.engine.state import SessionState
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.languages import language
from bot.limits import MESSAGE_LIMIT, pack
from bot.messages.incoming import Incoming
from bot.messages.replies import Replies
from bot.schools.catalog import SchoolCatalog
from bot.storage.models import Response, School, Staff

log = logging.getLogger(__name__)

# Consent is the condition for the answers and the school heads the list: not repeated.
SHOWN_ELSEWHERE = frozenset({StepKind.CONSENT, StepKind.SCHOOL})
# How many recent families /responses lists per school.
RECENT = 20
INVALID_LINK = "Deze personeelslink is niet (meer) geldig. Vraag de coördinator om een nieuwe."
# The same for the old link and a new one: only a coordinator reinstates (`staff reinstate`).
REVOKED = (
    "U ontvangt de antwoorden van deze school niet meer. Klopt dat niet? Vraag het de coördinator."
)


class StaffDesk:
    """What staff members can do in their chat. Staff read Dutch; these texts are Dutch."""

    def __init__(self, registry: FlowRegistry, schools: SchoolCatalog, dutch: Localizer) -> None:
        self._registry = registry
        self._schools = schools
        self._dutch = dutch
        # Dutch local time, written as the digests write it.
        self._dates = Dates(dutch.language)

    def join(self, db: Session, incoming: Incoming, token: str, replies: Replies) -> None:
        """Make the sender a recipient for the school whose invite link they opened."""
        school = db.scalar(select(School).where(School.staff_token == token))
        if school is None:
            replies.send(INVALID_LINK)
            return
        member = db.scalar(
            select(Staff).where(
                Staff.school_code == school.code, Staff.telegram_user_id == incoming.user_id
            )
        )
        if member is not None and member.revoked_at is not None:
            log.info("a revoked staff member of school %s opened its link; refused", school.code)
            replies.send(REVOKED)
            return
        if member is None:
            member = Staff(school_code=school.code, telegram_user_id=incoming.user_id)
            db.add(member)
        member.chat_id = incoming.chat_id
        member.name = incoming.name[:200]
        member.inactive_at = None  # opening the link again means the chat works again
        log.info("staff member joined school %s", school.code)
        replies.send(
            f"Welkom! U ontvangt voortaan de antwoorden van ouders van {school.name}. "
            "Typ /responses om de nieuwste te zien."
        )

    def is_staff(self, db: Session, user_id: int) -> bool:
        """Tell whether a Telegram user is active staff of any school."""
        return bool(self._schools_of(db, user_id))

    def responses(self, db: Session, incoming: Incoming, replies: Replies) -> None:
        """List the newest responses of the staff member's own schools, and of no other."""
        codes = self._schools_of(db, incoming.user_id)
        for code in codes:
            rows = db.scalars(
                select(Response)
                .where(Response.school_code == code)
                .order_by(Response.completed_at.desc(), Response.id.desc())
                .limit(RECENT)
            ).all()
            header = f"{self._schools.describe(code)}: {len(rows)} nieuwste gezinnen"
            if not rows:
                replies.send(f"{self._schools.describe(code)}: nog geen antwoorden.")
                continue
            # As the digest: as many messages as needed, each family whole in one of them,
            # and each linked to the families it shows, so that an erase recalls it.
            owners = [None, *(r.id for r in rows)]  # the header shows no family
            start = 0
            for group in pack([header, *(self._describe(r) for r in rows)], MESSAGE_LIMIT):
                shown = owners[start : start + len(group)]
                start += len(group)
                carrying = tuple(r for r in shown if r is not None)
                replies.send("\n\n".join(group), carrying=carrying)

    def _schools_of(self, db: Session, user_id: int) -> Sequence[str]:
        return db.scalars(
            select(Staff.school_code)
            .where(Staff.telegram_user_id == user_id, Staff.revoked_at.is_(None))
            .order_by(Staff.school_code)
        ).all()

    def _describe(self, response: Response) -> str:
        """Render one family's answers in short Dutch."""
        dutch = self._dutch
        when = self._dates.moment(response.completed_at)
        lines = [f"#{response.id} · {when} · taal: {language(response.language).dutch_name}"]
        flow = self._registry.revision(response.flow_revision)
        if flow is None:
            return lines[0]
        state = SessionState(flow.id, flow.version, flow.revision, "nl")
        for step in flow.steps:
            if step.id not in response.answers or step.kind in SHOWN_ELSEWHERE:
                continue
            value = response.answers[step.id]
            value = tuple(value) if isinstance(value, list) else value
            label = step_label(flow, step, dutch)
            answer = answer_text(flow, step, value, dutch, state=state, schools=self._schools)
            lines.append(f"{label}: {answer}")
        return "\n".join(lines)
