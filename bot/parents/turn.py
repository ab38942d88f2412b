"""One update being handled for one parent, inside its unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.engine.state import Status
from bot.messages.incoming import ButtonPressed, Incoming
from bot.messages.replies import Rows
from bot.parents.effects import NOTHING, Effects, message, popup
from bot.storage.models import Parent, ParentSession
from bot.storage.unit import UnitOfWork


@dataclass
class Turn:
    """A parent's update: who sent it, what it is, and the transaction it runs in."""

    uow: UnitOfWork
    parent: Parent
    incoming: Incoming
    # The session in progress as loaded with the parent, or started by this update.
    session: ParentSession | None = None

    def active_session(self) -> ParentSession | None:
        """Return the parent's session in progress, if any (it may have ended meanwhile)."""
        session = self.session
        return session if session is not None and session.status == Status.ACTIVE else None

    @property
    def pressed(self) -> ButtonPressed | None:
        """Return the button press of this update, if it is one."""
        action = self.incoming.action
        return action if isinstance(action, ButtonPressed) else None

    def say(self, text: str, buttons: Rows = (), **extra: Any) -> Effects:
        """Return a message to the parent."""
        return message(self.incoming.chat_id, text, buttons, **extra)

    def answer(self, text: str = "") -> Effects:
        """Return the answer to this update's button press (nothing when it is none)."""
        pressed = self.pressed
        if pressed is None:
            return NOTHING
        return popup(self.incoming.chat_id, pressed.callback_id, text)
