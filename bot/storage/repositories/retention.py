"""The rows whose time is up, and their erasure: what the nightly retention run asks for."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from sqlalchemy import Delete, and_, delete, exists, or_, select
from sqlalchemy.orm import Session

from bot.messages.followup import FollowUpStatus
from bot.storage.models import (
    Broadcast,
    ConversationMessage,
    MailMessage,
    OutboxMessage,
    Parent,
    ParentSession,
    ProcessedUpdate,
    Response,
    Translation,
)


class Expired(Protocol):
    """Rows that can name a family, found by age and erased for good."""

    def responses(
        self, helped_before: datetime, completed_before: datetime
    ) -> list[tuple[int, int]]:
        """Return (response id, session id) of responses helped before, or never and older."""
        ...

    def erase_responses(self, response_ids: Collection[int], session_ids: Collection[int]) -> None:
        """Delete the responses, their sessions and the sessions' translations."""
        ...

    def abandoned_sessions(self, idle_since: datetime) -> list[int]:
        """Return the sessions that never became a response and saw no answer since then."""
        ...

    def erase_sessions(self, session_ids: Collection[int]) -> None:
        """Delete the sessions and their translations."""
        ...

    def erase_parents(self, came_before: datetime) -> int:
        """Delete the parents who came before then and have no session left; return how many."""
        ...

    def erase_messages(self, made_before: datetime) -> int:
        """Delete stored messages, e-mails and update records made before then.

        Return how many messages and e-mails went (update records are not counted).
        """
        ...


class SqlExpired:
    """Expired rows on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def responses(
        self, helped_before: datetime, completed_before: datetime
    ) -> list[tuple[int, int]]:
        """Return (response id, session id) of responses helped before, or never and older."""
        helped = and_(
            Response.followup_status == FollowUpStatus.HELPED, Response.followup_at <= helped_before
        )
        never_helped = and_(
            Response.followup_status != FollowUpStatus.HELPED,
            Response.completed_at <= completed_before,
        )
        found = self._db.execute(
            select(Response.id, Response.session_id).where(or_(helped, never_helped))
        )
        return [(response_id, session_id) for response_id, session_id in found]

    def erase_responses(self, response_ids: Collection[int], session_ids: Collection[int]) -> None:
        """Delete the responses, their sessions and the sessions' translations."""
        db = self._db
        db.execute(delete(Translation).where(Translation.session_id.in_(session_ids)))
        db.execute(delete(Response).where(Response.id.in_(response_ids)))
        db.execute(delete(ParentSession).where(ParentSession.id.in_(session_ids)))

    def abandoned_sessions(self, idle_since: datetime) -> list[int]:
        """Return the sessions that never became a response and saw no answer since then."""
        abandoned = select(ParentSession.id).where(
            ParentSession.updated_at <= idle_since,
            ~exists().where(Response.session_id == ParentSession.id),
        )
        return list(self._db.scalars(abandoned))

    def erase_sessions(self, session_ids: Collection[int]) -> None:
        """Delete the sessions and their translations."""
        self._db.execute(delete(Translation).where(Translation.session_id.in_(session_ids)))
        self._db.execute(delete(ParentSession).where(ParentSession.id.in_(session_ids)))

    def erase_parents(self, came_before: datetime) -> int:
        """Delete the parents who came before then and have no session left; return how many."""
        return self._count(
            delete(Parent).where(
                Parent.created_at <= came_before,
                ~exists().where(ParentSession.parent_id == Parent.id),
                ~exists().where(Response.parent_id == Parent.id),
            )
        )

    def erase_messages(self, made_before: datetime) -> int:
        """Delete messages, e-mails and update records made before then; count the first two."""
        outbox = self._count(delete(OutboxMessage).where(OutboxMessage.created_at <= made_before))
        mails = self._count(delete(MailMessage).where(MailMessage.created_at <= made_before))
        # What a school and a family wrote each other ends with the other messages.
        talk = ConversationMessage.created_at <= made_before
        mails += self._count(delete(ConversationMessage).where(talk))
        self._db.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at <= made_before))
        # A broadcast and which families got it (ON DELETE CASCADE): its copies went above.
        self._db.execute(delete(Broadcast).where(Broadcast.created_at <= made_before))
        return outbox + mails

    def _count(self, statement: Delete) -> int:
        return int(self._db.execute(statement).rowcount or 0)  # type: ignore[attr-defined]
