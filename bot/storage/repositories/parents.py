"""Parents, their sessions and their responses, in the database.

The engine's state and answers are converted to and from what is stored here, and only
here: use cases and fakes read a session as a SessionState and a response as answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bot.engine.flow import Flow
from bot.engine.state import AnswerValue, SchoolMatch, SessionState, Status
from bot.storage.models import (
    Base,
    OutboxMessage,
    Parent,
    ParentSession,
    Response,
    Translation,
    utcnow,
)
from bot.storage.repositories.changes import changed

# The statements on every update's path, built once: SQLAlchemy then reuses their cache
# keys and compiled forms.
# A parent and their session in progress, in one query: nearly every update needs both.
# Only where nothing else writes meanwhile (SQLite: one writer at a time, see _found).
_PARENT_BY_USER = (
    select(Parent, ParentSession)
    .outerjoin(
        ParentSession,
        (ParentSession.parent_id == Parent.id) & (ParentSession.status == "active"),
    )
    .where(Parent.telegram_user_id == bindparam("user_id"))
    .order_by(ParentSession.id.desc())
    .limit(1)
)
_LOCK_PARENT = (
    select(Parent).where(Parent.telegram_user_id == bindparam("user_id")).with_for_update()
)
_ACTIVE_SESSION = (
    select(ParentSession)
    .where(ParentSession.parent_id == bindparam("parent_id"), ParentSession.status == "active")
    .order_by(ParentSession.id.desc())
    .limit(1)
)
_SESSIONS = Base.metadata.tables[ParentSession.__tablename__]
_SAVE_STATE = (
    update(_SESSIONS)
    .where(_SESSIONS.c.id == bindparam("session_id"))
    .values(
        state=bindparam("state"),
        status=bindparam("status"),
        at_step=bindparam("at_step"),
        updated_at=bindparam("now"),
    )
)


class Parents(Protocol):
    """Parents, their sessions and their finished responses."""

    def for_user(self, user_id: int, chat_id: int) -> tuple[Parent, ParentSession | None]:
        """Return the parent of a Telegram user (created on first contact, locked) and
        their session in progress, if any."""
        ...

    def start(self, parent: Parent, flow: Flow, child_number: int) -> ParentSession:
        """Begin a session of the parent on a flow, for their n-th child."""
        ...

    def save_state(self, session: ParentSession, state: SessionState) -> None:
        """Store the engine's state of a session."""
        ...

    def last_session(self, parent: Parent) -> ParentSession | None:
        """Return the parent's most recent session, whatever its status."""
        ...

    def add_response(
        self, session: ParentSession, flow: Flow, state: SessionState, school: SchoolMatch | None
    ) -> Response:
        """Store the response of a finished session (with its id given out)."""
        ...

    def change_response(
        self,
        response: Response,
        session: ParentSession,
        flow: Flow,
        state: SessionState,
        school: SchoolMatch | None,
    ) -> None:
        """Give a sent response the answers of the session that changed them."""
        ...

    def responses_of(self, parent: Parent) -> list[Response]:
        """Return the parent's finished responses, oldest first."""
        ...

    def erase(self, parent: Parent) -> None:
        """Delete everything stored about a parent (recall what is about them first)."""
        ...


def state_of(session: ParentSession) -> SessionState:
    """Return a stored session as the engine's state."""
    return SessionState.from_json(session.state)


def answers_of(response: Response) -> dict[str, AnswerValue]:
    """Return a response's answers as the engine holds them (JSON gave lists for tuples)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in response.answers.items()}


def finished_state(response: Response, flow: Flow) -> SessionState:
    """Return a response as a finished session state, which the summary renders."""
    context = {"school_query": response.school_query} if response.school_query else {}
    return SessionState(
        flow_id=flow.id,
        flow_version=flow.version,
        flow_revision=flow.revision,
        language=response.language,
        answers=answers_of(response),
        context=context,
    )


def new_session(parent: Parent, flow: Flow, child_number: int) -> ParentSession:
    """Return a session on a flow, not begun: the engine gives it its state."""
    return ParentSession(
        parent_id=parent.id,
        flow_id=flow.id,
        flow_revision=flow.revision,
        state={},
        status=Status.ACTIVE.value,
        child_number=child_number,
    )


def response_for(
    session: ParentSession, flow: Flow, state: SessionState, school: SchoolMatch | None
) -> Response:
    """Return the response of a finished session; without a known school it waits unassigned."""
    return Response(
        parent_id=session.parent_id,
        session_id=session.id,
        school_code=school.code if school else None,
        school_query=None if school else state.context.get("school_query"),
        flow_id=flow.id,
        flow_revision=flow.revision,
        flow_version=flow.version,
        language=state.language,
        child_number=session.child_number,
        answers=_json_answers(state.answers),
    )


def _json_answers(answers: Mapping[str, AnswerValue]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}


class SqlParents:
    """Parents on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def for_user(self, user_id: int, chat_id: int) -> tuple[Parent, ParentSession | None]:
        """Return the parent of a Telegram user and their session in progress, if any.

        The parent is created on first contact, and locked for the rest of this update.
        """
        found = self._found(user_id)
        if found is None:
            parent = Parent(telegram_user_id=user_id, chat_id=chat_id)
            self._db.add(parent)
            self._db.flush()
            return parent, None
        parent, session = found
        if parent.chat_id != chat_id or parent.blocked_at is not None:
            # A message from them means they can be reached (again) in this chat.
            parent.chat_id = chat_id
            parent.blocked_at = None
        return parent, session

    def _found(self, user_id: int) -> tuple[Parent, ParentSession | None] | None:
        """Lock the parent, then read their session as the lock holder before us left it.

        On PostgreSQL, two workers may handle two presses of one parent at once. A
        statement that waits for the row lock re-reads the locked row afterwards, but not
        the rows it joined: read with the lock, the session would be the one from before
        the other worker's commit, and that worker's answer would be overwritten. So the
        session is read by a second statement, which (READ COMMITTED) sees what was
        committed before it. SQLite lets one writer in at a time from BEGIN IMMEDIATE on:
        nothing can change between the statements, and one query saves a round trip on
        every update.
        """
        db = self._db
        if db.get_bind().dialect.name == "sqlite":
            row = db.execute(_PARENT_BY_USER, {"user_id": user_id}).first()
            return None if row is None else (row[0], row[1])
        parent = db.scalar(_LOCK_PARENT, {"user_id": user_id})
        if parent is None:
            return None
        return parent, db.scalar(_ACTIVE_SESSION, {"parent_id": parent.id})

    def start(self, parent: Parent, flow: Flow, child_number: int) -> ParentSession:
        """Begin a session; it is written with its first state, at the next flush."""
        session = new_session(parent, flow, child_number)
        self._db.add(session)
        return session

    def save_state(self, session: ParentSession, state: SessionState) -> None:
        """Store the engine's state of a session, which changes with every answer.

        A stored session is updated by one statement, and the loaded object told it is
        up to date: flushing this one row through the ORM's unit of work cost a sixth of
        each update's time in the database (bench/bot.py).
        """
        data, status = state.to_json(), state.status.value
        if not inspect(session).persistent:
            session.state = data
            session.status = status
            session.at_step = state.current
            return
        now = utcnow()
        values = {
            "session_id": session.id,
            "state": data,
            "status": status,
            "at_step": state.current,
            "now": now,
        }
        self._db.connection().execute(_SAVE_STATE, values)
        set_committed_value(session, "state", data)
        set_committed_value(session, "status", status)
        set_committed_value(session, "at_step", state.current)
        set_committed_value(session, "updated_at", now)

    def last_session(self, parent: Parent) -> ParentSession | None:
        """Return the parent's most recent session, whatever its status."""
        return self._db.scalar(
            select(ParentSession)
            .where(ParentSession.parent_id == parent.id)
            .order_by(ParentSession.id.desc())
            .limit(1)
        )

    def add_response(
        self, session: ParentSession, flow: Flow, state: SessionState, school: SchoolMatch | None
    ) -> Response:
        """Store the response of a finished session, flushed: what it triggers names its id."""
        self._db.flush()  # the session needs its id before the response can name it
        response = response_for(session, flow, state, school)
        self._db.add(response)
        self._db.flush()
        return response

    def change_response(
        self,
        response: Response,
        session: ParentSession,
        flow: Flow,
        state: SessionState,
        school: SchoolMatch | None,
    ) -> None:
        """Give a sent response the answers of the session that changed them, flushed."""
        self._db.flush()  # the response will name the session, which needs its id first
        changed(response, response_for(session, flow, state, school))
        self._db.flush()

    def responses_of(self, parent: Parent) -> list[Response]:
        """Return the parent's finished responses, oldest first."""
        query = select(Response).where(Response.parent_id == parent.id).order_by(Response.id)
        return list(self._db.scalars(query))

    def erase(self, parent: Parent) -> None:
        """Delete sessions, responses, translations and the messages to the parent.

        The messages about them (to staff, by e-mail) are found through the responses:
        the caller recalls them first (bot.outbox.recall), as these links go with them.
        """
        db = self._db
        sessions = select(ParentSession.id).where(ParentSession.parent_id == parent.id)
        db.execute(delete(Translation).where(Translation.session_id.in_(sessions)))
        db.execute(delete(OutboxMessage).where(OutboxMessage.parent_id == parent.id))
        db.execute(delete(Response).where(Response.parent_id == parent.id))
        db.execute(delete(ParentSession).where(ParentSession.parent_id == parent.id))
        db.execute(delete(Parent).where(Parent.id == parent.id))
