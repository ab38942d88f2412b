"""A parent in a conversation: their answer to the school, typed, replied or sent as media.

Outside a flow a text goes to the school that last wrote; inside one the flow's question
comes first, and only a reply to the school's message (or a press on "answer") goes to
the conversation. A parent can answer a school only once it wrote to them.
"""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.conversations import texts as msg
from bot.conversations.ports import SchoolNames
from bot.conversations.staff_side import Said
from bot.engine.state import Status
from bot.i18n.languages import language
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import AnswerSchool, ShowOriginal, WriteToFamily, decode, encode
from bot.messages.incoming import ButtonPressed, Incoming, Typed, Unsupported, VoiceSent
from bot.messages.replies import Button, Replies
from bot.storage.models import ConversationMessage, Parent, ParentSession
from bot.storage.models.conversations import DELIVERED, PARENT, STAFF
from bot.storage.queue import Queued
from bot.storage.unit import UnitOfWork

log = logging.getLogger(__name__)

# What a parent may send the school as it is: copied, never forwarded (no sender shown).
MEDIA = frozenset({"voice", "audio", "photo", "document", "video", "video_note"})


class ParentSide:
    """Takes what a parent sends in a conversation; the rest goes to the flow."""

    def __init__(self, localizers: Localizers, clock: Clock, schools: SchoolNames) -> None:
        self._localizers = localizers
        self._clock = clock
        self._schools = schools

    def wants(
        self, uow: UnitOfWork, parent: Parent, session: ParentSession | None, incoming: Incoming
    ) -> tuple[Said, list[Queued]] | None:
        """Take the parent's update when it is for the conversation; None when it is not."""
        action = incoming.action
        if parent.language is None:
            return None
        if isinstance(action, ButtonPressed):
            pressed = decode(action.data)
            if isinstance(pressed, ShowOriginal | AnswerSchool):
                return self._press(uow, parent, incoming, pressed), []
            return None
        if not isinstance(action, Typed | Unsupported | VoiceSent):
            return None
        if isinstance(action, Unsupported) and action.kind not in MEDIA:
            return None
        school = self._school(uow, parent, session, incoming)
        if school is None:
            return None
        return self._send(uow, parent, incoming, school)

    def _school(
        self, uow: UnitOfWork, parent: Parent, session: ParentSession | None, incoming: Incoming
    ) -> str | None:
        """Return the school the update answers, or None when it is for the flow."""
        if incoming.reply_to is not None:
            row = uow.conversations.sent_to(incoming.chat_id, incoming.reply_to)
            replied = uow.conversations.by_outbox(row.id) if row is not None else None
            if replied is not None and replied.parent_id == parent.id:
                return replied.school_code
        if parent.answering_school is not None:
            school, parent.answering_school = parent.answering_school, None
            return school
        if session is not None and session.status == Status.ACTIVE:
            return None  # in a flow, its question takes precedence
        latest = uow.conversations.latest(parent.id)
        return latest.school_code if latest is not None else None

    def _send(
        self, uow: UnitOfWork, parent: Parent, incoming: Incoming, school: str
    ) -> tuple[Said, list[Queued]]:
        action = incoming.action
        texts = self._localizers.get(parent.language or "nl")
        latest = uow.conversations.latest(parent.id, school)
        response_id = latest.response_id if latest is not None else None
        # A voice note is the flow's answer to a free-text question; here it is passed on.
        media = "voice" if isinstance(action, VoiceSent) else None
        media = action.kind if isinstance(action, Unsupported) else media
        message = uow.conversations.add(
            ConversationMessage(
                parent_id=parent.id,
                school_code=school,
                response_id=response_id,
                author=PARENT,
                text=action.text if isinstance(action, Typed) else "",
                language=parent.language or "nl",
                media=media,
                telegram_message_id=incoming.message_id,
                created_at=self._clock.now(),
            )
        )
        replies = Replies(incoming.chat_id)
        name = texts.isolate(self._schools.describe(school))
        replies.send(texts.gettext(msg.SENT_TO_SCHOOL) % {"school": name})
        log.info("a parent answered school %s", school)
        if media is None:
            return Said(replies, [message.id]), []
        # Nothing to translate: copied to the staff as it is, now.
        message.state = DELIVERED
        return Said(replies), self._copies(uow, message, incoming)

    def _copies(
        self, uow: UnitOfWork, message: ConversationMessage, incoming: Incoming
    ) -> list[Queued]:
        number = message.response_id or 0
        carrying = (number,) if number else ()
        header = msg.FROM_FAMILY_MEDIA.format(
            number=number, language=language(message.language).dutch_name
        )
        queued: list[Queued] = []
        for chat_id in uow.recipients.receiving_chats(message.school_code):
            replies = Replies(chat_id)
            button = Button(msg.WRITE_BUTTON.format(number=number), encode(WriteToFamily(number)))
            replies.send(header, ((button,),) if number else (), carrying=carrying)
            if incoming.message_id is not None:
                replies.copy(incoming.chat_id, incoming.message_id, carrying=carrying)
            queued += uow.outbox.queue(chat_id, replies.items, None)
        return queued

    def _press(
        self,
        uow: UnitOfWork,
        parent: Parent,
        incoming: Incoming,
        pressed: ShowOriginal | AnswerSchool,
    ) -> Said:
        replies = Replies(incoming.chat_id)
        action = incoming.action
        callback = action.callback_id if isinstance(action, ButtonPressed) else ""
        texts = self._localizers.get(parent.language or "nl")
        message = uow.conversations.get(pressed.message_id)
        if message is None or message.parent_id != parent.id or message.author != STAFF:
            replies.answer(callback, texts.gettext(msg.MESSAGE_GONE))
            return Said(replies)
        replies.answer(callback)
        if isinstance(pressed, ShowOriginal):
            replies.send(texts.gettext(msg.ORIGINAL_TEXT) % {"text": message.text})
        else:
            parent.answering_school = message.school_code
            name = texts.isolate(self._schools.describe(message.school_code))
            replies.send(texts.gettext(msg.TYPE_ANSWER) % {"school": name})
        return Said(replies)
