"""Who an update is for: a staff member's press or link, /responses, or else a parent."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.broadcasts.desk import BroadcastDesk
from bot.conversations.room import ConversationRoom
from bot.digests.alerts import UrgentAlerts
from bot.digests.needs import NeedsRecorder
from bot.messages.callbacks import (
    BroadcastChoice,
    FollowUp,
    PlayVoice,
    Pressed,
    WriteToFamily,
    decode,
)
from bot.messages.incoming import BotCommand, ButtonPressed, CommandSent, Incoming
from bot.messages.replies import Replies, Reply
from bot.parents.conversation import Conversations
from bot.parents.effects import Happened, ResponseChanged, ResponseCompleted
from bot.parents.turn import Turn
from bot.schools.links import StaffLink, parse_payload
from bot.staff.followup import FollowUps
from bot.staff.school_staff import SchoolStaff
from bot.staff.signin import DashboardSignIn
from bot.staff.voice_notes import VoicePlays
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


def listeners(
    alerts: UrgentAlerts | None, needs: NeedsRecorder | None = None
) -> Mapping[type, tuple[Listener, ...]]:
    """Return who acts on what the parents' room reports, by the type of what happened.

    A changed response is heard as a new one is: its needs are counted anew, and the
    school is alerted if the change made the family urgent.
    """
    heard: list[Listener] = []
    if needs is not None:
        recorder = needs

        def record(uow: UnitOfWork, happened: Happened) -> list[Queued]:
            return recorder.response_completed(uow, happened.response_id)

        heard.append(record)
    if alerts is not None:
        urgent = alerts

        def alert(uow: UnitOfWork, happened: Happened) -> list[Queued]:
            if isinstance(happened, ResponseChanged):
                return urgent.response_changed(uow, happened.response_id, happened.before)
            return urgent.response_completed(uow, happened.response_id)

        heard.append(alert)
    return {ResponseCompleted: tuple(heard), ResponseChanged: tuple(heard)} if heard else {}


class Rooms:
    """Hands an update to the room that serves its sender, and collects what it returned."""

    def __init__(
        self,
        conversations: Conversations,
        staff: SchoolStaff,
        followups: FollowUps | None = None,
        alerts: UrgentAlerts | None = None,
        broadcasts: BroadcastDesk | None = None,
        plays: VoicePlays | None = None,
        needs: NeedsRecorder | None = None,
        signin: DashboardSignIn | None = None,
        talk: ConversationRoom | None = None,
    ) -> None:
        self._conversations = conversations
        self._staff = staff
        self._followups = followups
        self._listeners = listeners(alerts, needs)
        self._broadcasts = broadcasts
        self._plays = plays
        self._signin = signin
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
        others: list[Queued] = list(effects.others)
        for happened in effects.happened:
            for listener in self._listeners.get(type(happened), ()):
                others += listener(uow, happened)
        owner = None if effects.erased else parent.id
        return Routed(effects.replies, owner, effects.jobs, tuple(others))

    def _for_staff(self, uow: UnitOfWork, incoming: Incoming) -> Replies | None:
        """Return the staff room's replies, or None when the update is not for it."""
        action = incoming.action
        if isinstance(action, ButtonPressed):
            pressed = self._pressed(uow, incoming, decode(action.data))
            if pressed is not None:
                return pressed
        bericht = isinstance(action, CommandSent) and action.command is BotCommand.BERICHT
        if bericht and self._talk is not None:
            # A message to all families is what they write next, not one to a family.
            self._talk.stop_writing(uow, incoming.user_id)
        if self._broadcasts is not None and (sent := self._broadcasts.handle(uow, incoming)):
            return sent
        if isinstance(action, CommandSent):
            link = parse_payload(action.argument) if action.command is BotCommand.START else None
            if isinstance(link, StaffLink):
                joined = self._staff.join(uow, incoming, link.token)
                if self._talk is not None:
                    self._talk.joined(uow, incoming, joined)
                return joined
            if action.command is BotCommand.DASHBOARD and self._signin is not None:
                return self._signin.asked(uow, incoming)
            if action.command is BotCommand.RESPONSES and self._staff.is_staff(
                uow, incoming.user_id
            ):
                return self._staff.responses(uow, incoming)
        return None

    def _pressed(
        self, uow: UnitOfWork, incoming: Incoming, pressed: Pressed | None
    ) -> Replies | None:
        """Return the replies to a staff member's button, or None when it is not theirs."""
        if isinstance(pressed, FollowUp) and self._followups is not None:
            return self._followups.press(uow, incoming, pressed)
        if isinstance(pressed, BroadcastChoice) and self._broadcasts is not None:
            return self._broadcasts.press(uow, incoming, pressed)
        if isinstance(pressed, PlayVoice) and self._plays is not None:
            return self._plays.press(uow, incoming, pressed)
        if isinstance(pressed, WriteToFamily) and self._talk is not None:
            # What they write next goes to this family, not into a draft to all families.
            for staff_id in uow.staff.memberships(incoming.user_id).values():
                uow.broadcasts.close_drafts(staff_id)
            return self._talk.press(uow, incoming, pressed)
        return None
