"""The conversation room: what the front desk hands it, from staff and from parents."""

from __future__ import annotations

from bot.clock import Clock
from bot.conversations.parent_side import ParentSide
from bot.conversations.ports import SchoolNames
from bot.conversations.staff_side import Said, StaffSide
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import WriteToFamily
from bot.messages.incoming import Incoming
from bot.messages.replies import Replies
from bot.storage.models import Parent, ParentSession
from bot.storage.queue import Queued
from bot.storage.unit import UnitOfWork


class ConversationRoom:
    """Takes the updates that belong to a conversation; everything else is left alone."""

    def __init__(self, localizers: Localizers, clock: Clock, schools: SchoolNames) -> None:
        self._staff = StaffSide(clock)
        self._parents = ParentSide(localizers, clock, schools)

    def joined(self, uow: UnitOfWork, incoming: Incoming, replies: Replies) -> None:
        """Ask a staff member who just joined for their display name, once."""
        self._staff.joined(uow, incoming, replies)

    def press(self, uow: UnitOfWork, incoming: Incoming, pressed: WriteToFamily) -> Replies:
        """Take a press on "write to family"."""
        return self._staff.press(uow, incoming, pressed)

    def stop_writing(self, uow: UnitOfWork, user_id: int) -> None:
        """Forget that a staff member was about to write to a family."""
        self._staff.stop_writing(uow, user_id)

    def from_staff(self, uow: UnitOfWork, incoming: Incoming) -> Said | None:
        """Take a staff member's text for a conversation; None when it is not one."""
        return self._staff.wants(uow, incoming)

    def from_parent(
        self, uow: UnitOfWork, parent: Parent, session: ParentSession | None, incoming: Incoming
    ) -> tuple[Said, list[Queued]] | None:
        """Take a parent's update for a conversation; None when it is for the flow."""
        return self._parents.wants(uow, parent, session, incoming)
