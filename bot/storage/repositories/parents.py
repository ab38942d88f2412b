"""Parents, their sessions and their responses, in the database."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from bot.engine.state import SessionState
from bot.storage import store
from bot.storage.models import Parent, ParentSession, Response


class Parents(Protocol):
    """Parents, their sessions and their finished responses."""

    def for_user(self, user_id: int, chat_id: int) -> tuple[Parent, ParentSession | None]:
        """Return the parent of a Telegram user (created on first contact, locked) and
        their session in progress, if any."""
        ...

    def save_state(self, session: ParentSession, state: SessionState) -> None:
        """Store the engine's state of a session."""
        ...

    def last_session(self, parent: Parent) -> ParentSession | None:
        """Return the parent's most recent session, whatever its status."""
        ...

    def responses_of(self, parent: Parent) -> list[Response]:
        """Return the parent's finished responses, oldest first."""
        ...


class SqlParents:
    """Parents on one open session; the engine's state is converted here, and only here."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def for_user(self, user_id: int, chat_id: int) -> tuple[Parent, ParentSession | None]:
        """Return the parent of a Telegram user (created, locked) and their open session."""
        return store.parent_for(self._db, user_id, chat_id)

    def save_state(self, session: ParentSession, state: SessionState) -> None:
        """Store the engine's state of a session."""
        store.save_state(self._db, session, state.to_json(), state.status.value)

    def last_session(self, parent: Parent) -> ParentSession | None:
        """Return the parent's most recent session, whatever its status."""
        return store.last_session(self._db, parent)

    def responses_of(self, parent: Parent) -> list[Response]:
        """Return the parent's finished responses, oldest first."""
        return store.responses_of(self._db, parent)
