"""Who an update is for: a staff member's press or link, /responses, or else a parent."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.conversations.room import ConversationRoom
from bot.digests.alerts import UrgentAlerts
from bot.messages.callbacks import FollowUp, WriteToFamily, decode
from bot.messages.incoming import BotCommand, ButtonPressed, CommandSent, Incoming
from bot.messages.replies import Replies, Reply
from bot.parents.conversation import Conversations
from bot.parents.effects import Happened, ResponseCompleted
from bot.parents.turn import Turn
from bot.schools.links import StaffLink, parse_payload
from bot.staff.followup import FollowUps
from bot.staff.school_staff import SchoolStaff
from bot.storage.queue import Queued
from bot.storage.unit import UnitOfWork
from bot.translation.requests import Job

# What another room does, in the same transaction, when the parents' room reports something.
Listener = Callable[[UnitOfWork, Happened], list[Queued]]


@dataclass(frozen=True, slots=True)
class Routed:
    """What the room an update was for returned."""

    # To the sender's own chat, in order.
    replies: tuple[Reply, ...]
    # The parent the replies belong to (erasing them recalls the replies); None for staff.
    owner: int | None
    jobs: tuple[Job, ...] = ()
    # Messages to other chats, already stored in this transaction (an urgent alert).
    others: tuple[Queued, ...] = ()
    # Conversation messages stored in this transaction, to translate and relay after it.
    relay: tuple[int, ...] = ()


def listeners(alerts: UrgentAlerts | None) -> Mapping[type, Listener]:
    """Return who acts on what the parents' room reports, by the type of what happened."""
    if alerts is None:
        return {}

    def alert(uow: UnitOfWork, completed: Happened) -> list[Queued]:
        return alerts.response_completed(uow, completed.response_id)

    return {ResponseCompleted: alert}


class Rooms:
    """Hands an update to the room that serves its sender, and collects what it returned."""

    def __init__(
        self,
        conversations: Conversations,
        staff: SchoolStaff,
        followups: FollowUps | None = None,
        alerts: UrgentAlerts | None = None,
        talk: ConversationRoom | None = None,
    ) -> None:
        self._conversations = conversations
        self._staff = staff
        self._followups = followups
        self._listeners = listeners(alerts)
        self._talk = talk

    def route(self, uow: UnitOfWork, incoming: Incoming) -> Routed:
        """Hand the update to whoever it is for; return what that led to."""
        staff = self._for_staff(uow, incoming)
        if staff is not None:
            return Routed(tuple(staff.items), None)
        talk = self._talk
        said = talk.from_staff(uow, incoming) if talk is not None else None
        if said is not None:
            return Routed(tuple(said.replies.items), None, relay=tuple(said.relay))
        parent, session = uow.parents.for_user(incoming.user_id, incoming.chat_id)
        taken = talk.from_parent(uow, parent, session, incoming) if talk is not None else None
        if taken is not None:
            said, copies = taken
            return Routed(
                tuple(said.replies.items), parent.id, others=tuple(copies), relay=tuple(said.relay)
            )
        effects = self._conversations.handle(Turn(uow, parent, incoming, session))
        others: list[Queued] = []
        for happened in effects.happened:
            listener = self._listeners.get(type(happened))
            if listener is not None:
                others += listener(uow, happened)
        owner = None if effects.erased else parent.id
        return Routed(effects.replies, owner, effects.jobs, tuple(others))

    def _for_staff(self, uow: UnitOfWork, incoming: Incoming) -> Replies | None:
        """Return the staff room's replies, or None when the update is not for it."""
        action = incoming.action
        if isinstance(action, ButtonPressed) and self._followups is not None:
            pressed = decode(action.data)
            if isinstance(pressed, FollowUp):
                return self._followups.press(uow, incoming, pressed)
            if isinstance(pressed, WriteToFamily) and self._talk is not None:
                return self._talk.press(uow, incoming, pressed)
        if isinstance(action, CommandSent):
            link = parse_payload(action.argument) if action.command is BotCommand.START else None
            if isinstance(link, StaffLink):
                joined = self._staff.join(uow, incoming, link.token)
                if self._talk is not None:
                    self._talk.joined(uow, incoming, joined)
                return joined
            if action.command is BotCommand.RESPONSES and self._staff.is_staff(
                uow, incoming.user_id
            ):
                return self._staff.responses(uow, incoming)
        return None
