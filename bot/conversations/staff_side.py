"""Staff in a conversation: their display name, the "write to family" button, their text.

Button data and replies can be forged or stale: every press and every text is checked
against the sender's active memberships at that moment, and whoever is not active staff
of the family's school gets one answer whatever the family, so they learn nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.conversations import texts as msg
from bot.i18n.languages import language
from bot.messages.callbacks import WriteToFamily
from bot.messages.incoming import ButtonPressed, Incoming, Typed
from bot.messages.replies import Replies
from bot.storage.models import ConversationMessage, Response, Staff
from bot.storage.models.conversations import BLOCKED, STAFF
from bot.storage.unit import UnitOfWork

log = logging.getLogger(__name__)

NAME = "name"
FAMILY = "family:"


@dataclass
class Said:
    """What a conversation update led to: replies to the sender, and messages to translate."""

    replies: Replies
    relay: list[int] = field(default_factory=list)


class StaffSide:
    """What staff do in a conversation; their texts are Dutch, as their chat is."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def joined(self, uow: UnitOfWork, incoming: Incoming, replies: Replies) -> None:
        """Ask a member who just joined for the name families will see, once."""
        member = self._member(uow, incoming.user_id)
        if member is not None and member.display_name is None and replies.items:
            self._await(member, NAME)
            # In the welcome itself: one message, whose last words are the question.
            welcome = replies.items[-1]
            replies.items[-1] = replace(welcome, text=f"{welcome.text}\n\n{msg.ASK_NAME}")

    def press(self, uow: UnitOfWork, incoming: Incoming, pressed: WriteToFamily) -> Replies:
        """Take "write to family": the member's next text goes to that family."""
        replies = Replies(incoming.chat_id)
        callback = incoming.action.callback_id if isinstance(incoming.action, ButtonPressed) else ""
        response, member = self._family(uow, incoming.user_id, pressed.response_id)
        if response is None or member is None:
            log.info("a write press that was not the sender's to make was refused")
            replies.answer(callback, msg.NOT_YOURS)
            return replies
        replies.answer(callback)
        if member.display_name is None:
            self._await(member, NAME)
            replies.send(f"{msg.NAME_FIRST} {msg.ASK_NAME}")
            return replies
        self._await(member, f"{FAMILY}{response.id}")
        school = uow.schools.get(member.school_code)
        replies.send(
            msg.WRITE_NOW.format(
                number=response.id,
                language=language(school.digest_language if school else "nl").dutch_name.lower(),
                family_language=language(response.language).dutch_name.lower(),
            )
        )
        return replies

    def wants(self, uow: UnitOfWork, incoming: Incoming) -> Said | None:
        """Take a staff member's text meant for the conversation; None when it is not."""
        action = incoming.action
        if not isinstance(action, Typed):
            return None
        member = self._member(uow, incoming.user_id)
        if member is None:
            return None
        if member.awaiting == NAME:
            return Said(self._name(member, action.text, incoming))
        target = self._target(uow, member, incoming)
        if target is None:
            return None
        return self._write(uow, incoming, target, action.text)

    def _target(self, uow: UnitOfWork, member: Staff, incoming: Incoming) -> int | None:
        """Return the response a text is for: the one pressed, or the one replied to."""
        if incoming.reply_to is not None:
            row = uow.conversations.sent_to(incoming.chat_id, incoming.reply_to)
            carried = uow.conversations.carried(row.id) if row is not None else []
            if len(carried) == 1:
                return carried[0]
        awaiting, since = member.awaiting or "", member.awaiting_since
        if awaiting.startswith(FAMILY) and since is not None and self._recent(since):
            member.awaiting = member.awaiting_since = None
            return int(awaiting.removeprefix(FAMILY))
        return None

    def _write(self, uow: UnitOfWork, incoming: Incoming, response_id: int, text: str) -> Said:
        replies = Replies(incoming.chat_id)
        response, member = self._family(uow, incoming.user_id, response_id)
        if response is None or member is None:
            # Revoked meanwhile, another school's, or erased: nothing goes out.
            log.info("a staff message to a family that was not theirs was refused")
            replies.send(msg.GONE if response is None else msg.NOT_YOURS)
            return Said(replies)
        if member.display_name is None:
            self._await(member, NAME)
            replies.send(msg.ASK_NAME)
            return Said(replies)
        school = uow.schools.get(member.school_code)
        parent = uow.conversations.parent(response.parent_id)
        message = uow.conversations.add(
            ConversationMessage(
                parent_id=response.parent_id,
                school_code=member.school_code,
                response_id=response.id,
                author=STAFF,
                staff_id=member.id,
                staff_name=member.display_name,
                text=text,
                language=school.digest_language if school else "nl",
                telegram_message_id=incoming.message_id,
                created_at=self._clock.now(),
            )
        )
        if parent is None or parent.blocked_at is not None:
            message.state = BLOCKED
            replies.send(msg.BLOCKED.format(number=response.id))
            return Said(replies)
        log.info("staff of school %s wrote to family %s", member.school_code, response.id)
        replies.send(msg.ON_ITS_WAY.format(number=response.id))
        return Said(replies, [message.id])

    def _family(
        self, uow: UnitOfWork, user_id: int, response_id: int
    ) -> tuple[Response | None, Staff | None]:
        """Return the family and the sender's active membership of its school, if both exist."""
        schools = uow.staff.memberships(user_id)
        response = uow.families.for_followup(response_id) if schools else None
        if response is None or response.school_code not in schools:
            return (None, None) if response is None else (response, None)
        return response, uow.staff.get(schools[response.school_code])

    def _member(self, uow: UnitOfWork, user_id: int) -> Staff | None:
        """Return the user's first active membership, if they are staff at all."""
        schools = uow.staff.memberships(user_id)
        if not schools:
            return None
        members = [uow.staff.get(member_id) for member_id in schools.values()]
        waiting = [m for m in members if m is not None and m.awaiting is not None]
        return waiting[0] if waiting else members[0]

    def stop_writing(self, uow: UnitOfWork, user_id: int) -> None:
        """Forget a family the staff member was about to write to (a name still asked stays)."""
        for member_id in uow.staff.memberships(user_id).values():
            member = uow.staff.get(member_id)
            if member is not None and (member.awaiting or "").startswith(FAMILY):
                member.awaiting = member.awaiting_since = None

    def _name(self, member: Staff, text: str, incoming: Incoming) -> Replies:
        replies = Replies(incoming.chat_id)
        name = " ".join(text.split())
        if not name or len(name) > msg.NAME_LIMIT:
            replies.send(msg.NAME_TOO_LONG.format(limit=msg.NAME_LIMIT))
            return replies
        member.display_name = name
        member.awaiting = member.awaiting_since = None
        replies.send(msg.NAME_KEPT.format(name=name))
        return replies

    def _await(self, member: Staff, what: str) -> None:
        member.awaiting, member.awaiting_since = what, self._clock.now()

    def _recent(self, since: datetime) -> bool:
        moment = since if since.tzinfo else since.replace(tzinfo=self._clock.now().tzinfo)
        return self._clock.now() - moment < timedelta(minutes=msg.WRITING_MINUTES)
