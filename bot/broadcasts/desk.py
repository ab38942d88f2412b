"""Staff's /bericht in Telegram: ask for the text, show how many families, send on confirm.

Only active staff of a school write to its families, and only to their own school's: the
school is the one of their membership, never anything the update names. Button data can be
forged, so a press that is not the sender's own draft gets one answer whatever the id.
The confirmed broadcast is queued by the bot's broadcast round (bot/broadcasts/rounds.py),
outside this transaction: translating it must not hold up the updates waiting for it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.broadcasts import texts as msg
from bot.broadcasts.compose import Needs, wanted
from bot.clock import aware
from bot.digests.needs import KNOWN_NEEDS
from bot.engine.ports import Localizer
from bot.messages.callbacks import BroadcastChoice, encode
from bot.messages.incoming import BotCommand, ButtonPressed, CommandSent, Incoming, Typed
from bot.messages.replies import Button, Replies
from bot.storage.models import Broadcast, utcnow
from bot.storage.unit import UnitOfWork

log = logging.getLogger(__name__)

# A draft waits this long for its text; later, typed text is the parent's again.
DRAFT_MINUTES = 30


class BroadcastDesk:
    """Takes /bericht, the text after it and the confirm buttons from school staff."""

    def __init__(
        self,
        texts: Localizer,
        needs: Needs,
        known: Callable[[], Sequence[str]] = lambda: KNOWN_NEEDS,
    ) -> None:
        # Staff read Dutch, as in the rest of their room.
        self._texts = texts
        self._needs = needs
        # The need keys staff may name: the bot's own and those the live flows declare.
        self._known = known

    def handle(self, uow: UnitOfWork, incoming: Incoming) -> Replies | None:
        """Return the desk's replies, or None when the update is not for it."""
        action = incoming.action
        if isinstance(action, CommandSent) and action.command is BotCommand.BERICHT:
            return self._begin(uow, incoming, action.argument.strip().lower())
        if isinstance(action, Typed):
            return self._text(uow, incoming, action.text)
        return None

    def press(self, uow: UnitOfWork, incoming: Incoming, choice: BroadcastChoice) -> Replies:
        """Send or drop the sender's own draft; anything else gets the one refusal."""
        replies = Replies(incoming.chat_id)
        action = incoming.action
        callback = action.callback_id if isinstance(action, ButtonPressed) else ""
        broadcast = self._own(uow, incoming, choice.broadcast_id)
        if broadcast is None or broadcast.status != "ready":
            log.info("a broadcast press that was not the sender's to make was refused")
            replies.answer(callback, self._texts.gettext(msg.NOT_YOURS))
            return replies
        replies.answer(callback)
        if isinstance(action, ButtonPressed):
            replies.edit_markup(action.message_id, ())
        if not choice.send:
            broadcast.status = "cancelled"
            replies.send(self._texts.gettext(msg.CANCELLED))
            return replies
        broadcast.status = "sending"
        count = self._count(uow, broadcast.school_code or "", broadcast.need)
        log.info("broadcast %s confirmed", broadcast.id)
        replies.send(self._plural(msg.SENDING, count, school=""))
        return replies

    def _begin(self, uow: UnitOfWork, incoming: Incoming, need: str) -> Replies | None:
        schools = uow.staff.memberships(incoming.user_id)
        if not schools:
            return None  # a parent's unknown command, answered as any other
        code, staff_id = next(iter(schools.items()))
        school = self._school_name(uow, code)
        replies = Replies(incoming.chat_id)
        if need and need not in (keys := self._known()):
            known = ", ".join(keys)
            replies.send(self._texts.gettext(msg.UNKNOWN_NEED) % {"need": need, "needs": known})
            return replies
        if not self._count(uow, code, need or None):
            replies.send(self._texts.gettext(msg.NO_FAMILIES) % {"school": school})
            return replies
        uow.broadcasts.close_drafts(staff_id)
        draft = Broadcast(
            key=f"staff-{staff_id}-{uuid.uuid4().hex}",
            scope=code,
            language="nl",
            text="",
            staff_id=staff_id,
            school_code=code,
            need=need or None,
            status="draft",
        )
        uow.broadcasts.add(draft)
        replies.send(self._texts.gettext(msg.ASK_TEXT) % {"school": school})
        return replies

    def _text(self, uow: UnitOfWork, incoming: Incoming, text: str) -> Replies | None:
        schools = uow.staff.memberships(incoming.user_id)
        draft = next(
            (d for s in schools.values() if (d := uow.broadcasts.open_draft(s)) is not None), None
        )
        if draft is None or _stale(draft.created_at, utcnow()):
            return None
        if draft.school_code not in schools:
            return None  # revoked since /bericht: the text is theirs as a parent, if anything
        draft.text, draft.status = text.strip(), "ready"
        code = draft.school_code or ""
        count = self._count(uow, code, draft.need)
        school = self._school_name(uow, code)
        replies = Replies(incoming.chat_id)
        buttons = (
            (
                Button(
                    self._texts.gettext(msg.SEND_BUTTON), encode(BroadcastChoice(True, draft.id))
                ),
                Button(
                    self._texts.gettext(msg.CANCEL_BUTTON), encode(BroadcastChoice(False, draft.id))
                ),
            ),
        )
        header = self._plural(msg.CONFIRM, count, school=school)
        replies.send(f"{header}\n\n{draft.text}", buttons)
        return replies

    def _own(self, uow: UnitOfWork, incoming: Incoming, broadcast_id: int) -> Broadcast | None:
        """Return the broadcast when it is the sender's own draft at a school they serve."""
        schools = uow.staff.memberships(incoming.user_id)
        if not schools:
            return None
        broadcast = uow.broadcasts.get(broadcast_id)
        if broadcast is None or broadcast.school_code not in schools:
            return None
        return broadcast if schools[broadcast.school_code] == broadcast.staff_id else None

    def _count(self, uow: UnitOfWork, code: str, need: str | None) -> int:
        """Return how many families of the school the broadcast reaches (with the need)."""
        children: dict[int, list[tuple[str, Mapping[str, Any]]]] = {}
        for parent_id, flow_id, answers in uow.broadcasts.answers_at(code):
            children.setdefault(parent_id, []).append((flow_id, answers))
        return sum(1 for found in children.values() if wanted(found, need, self._needs))

    def _school_name(self, uow: UnitOfWork, code: str) -> str:
        school = uow.schools.get(code)
        return school.name if school is not None else code

    def _plural(self, forms: tuple[str, str], count: int, *, school: str) -> str:
        text = self._texts.ngettext(forms[0], forms[1], count)
        return text % {"count": self._texts.format_number(count), "school": school}


def _stale(created: datetime, now: datetime) -> bool:
    """Tell whether a draft waited too long for its text."""
    return aware(now) - aware(created) > timedelta(minutes=DRAFT_MINUTES)
