"""The queries the service needs, on one open ORM session (one transaction per update)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bot.outbox.recall import DigestRewriter, recall
from bot.storage.models import (
    Base,
    OutboxMessage,
    Parent,
    ParentSession,
    ProcessedUpdate,
    Response,
    Translation,
    utcnow,
)

# The statements on every update's path, built once: SQLAlchemy then reuses their cache
# keys and compiled forms. The two inserts are Core statements on the tables, which skip
# the ORM's bulk-insert bookkeeping that these write-only rows never need.
_RECORD_UPDATE = insert(Base.metadata.tables[ProcessedUpdate.__tablename__])
# A parent and their session in progress, in one query: nearly every update needs both.
# Only where nothing else writes meanwhile (SQLite: one writer at a time, see parent_for).
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
    .values(state=bindparam("state"), status=bindparam("status"), updated_at=bindparam("now"))
)


def already_processed(db: Session, update_id: int) -> bool:
    """Tell whether an update took effect before (Telegram may deliver one twice)."""
    return db.get(ProcessedUpdate, update_id) is not None


def mark_processed(db: Session, update_id: int) -> None:
    """Record the update in this transaction, so its effect and the record commit together.

    Two workers racing on one update both get here; the second fails on the primary
    key, at once, and its whole transaction rolls back.
    """
    db.connection().execute(_RECORD_UPDATE, {"update_id": update_id, "processed_at": utcnow()})


def parent_for(db: Session, user_id: int, chat_id: int) -> tuple[Parent, ParentSession | None]:
    """Return the parent of a Telegram user and their session in progress, if any.

    The parent is created on first contact, and locked for the rest of this update.
    """
    found = _parent_and_session(db, user_id)
    if found is None:
        parent = Parent(telegram_user_id=user_id, chat_id=chat_id)
        db.add(parent)
        db.flush()
        return parent, None
    parent, session = found
    if parent.chat_id != chat_id or parent.blocked_at is not None:
        # A message from them means they can be reached (again) in this chat.
        parent.chat_id = chat_id
        parent.blocked_at = None
    return parent, session


def _parent_and_session(db: Session, user_id: int) -> tuple[Parent, ParentSession | None] | None:
    """Lock the parent, then read their session as the lock holder before us left it.

    On PostgreSQL, two workers may handle two presses of one parent at once. A statement
    that waits for the row lock re-reads the locked row afterwards, but not the rows it
    joined: read with the lock, the session would be the one from before the other
    worker's commit, and that worker's answer would be overwritten. So the session is
    read by a second statement, which (READ COMMITTED) sees what was committed before it.
    SQLite lets one writer in at a time from BEGIN IMMEDIATE on: nothing can change
    between the statements, and one query saves a round trip on every update.
    """
    if db.get_bind().dialect.name == "sqlite":
        row = db.execute(_PARENT_BY_USER, {"user_id": user_id}).first()
        return None if row is None else (row[0], row[1])
    parent = db.scalar(_LOCK_PARENT, {"user_id": user_id})
    if parent is None:
        return None
    return parent, db.scalar(_ACTIVE_SESSION, {"parent_id": parent.id})


def save_state(db: Session, session: ParentSession, state: dict[str, Any], status: str) -> None:
    """Store the engine's state of a session, which changes with every answer.

    A stored session is updated by one statement, and the loaded object told it is up to
    date: flushing this one row through the ORM's unit of work cost a sixth of each
    update's time in the database (bench/bot.py).
    """
    if not inspect(session).persistent:
        session.state = state
        session.status = status
        return
    now = utcnow()
    values = {"session_id": session.id, "state": state, "status": status, "now": now}
    db.connection().execute(_SAVE_STATE, values)
    set_committed_value(session, "state", state)
    set_committed_value(session, "status", status)
    set_committed_value(session, "updated_at", now)


def last_session(db: Session, parent: Parent) -> ParentSession | None:
    """Return the parent's most recent session, whatever its status."""
    return db.scalar(
        select(ParentSession)
        .where(ParentSession.parent_id == parent.id)
        .order_by(ParentSession.id.desc())
        .limit(1)
    )


def responses_of(db: Session, parent: Parent) -> list[Response]:
    """Return the parent's finished responses, oldest first."""
    return list(
        db.scalars(select(Response).where(Response.parent_id == parent.id).order_by(Response.id))
    )


def erase_parent(db: Session, parent: Parent, digests: DigestRewriter | None = None) -> None:
    """Delete everything stored about a parent: sessions, responses, translations, the
    messages to them and the staff messages and e-mails about them."""
    responses = db.scalars(select(Response.id).where(Response.parent_id == parent.id)).all()
    recall(db, responses, digests)
    sessions = select(ParentSession.id).where(ParentSession.parent_id == parent.id)
    db.execute(delete(Translation).where(Translation.session_id.in_(sessions)))
    db.execute(delete(OutboxMessage).where(OutboxMessage.parent_id == parent.id))
    db.execute(delete(Response).where(Response.parent_id == parent.id))
    db.execute(delete(ParentSession).where(ParentSession.parent_id == parent.id))
    db.execute(delete(Parent).where(Parent.id == parent.id))
