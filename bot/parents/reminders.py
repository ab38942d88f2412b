"""One reminder for a parent who started but did not finish, in their language, by day only."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import AMSTERDAM, Clock
from bot.i18n.localizer import Localizers
from bot.messages.replies import Replies
from bot.outbox import queue as outbox
from bot.outbox.queue import Queued
from bot.parents import texts as msg
from bot.storage.models import Parent, ParentSession

log = logging.getLogger(__name__)

# Nobody gets a message from us at night: only from 08:00 until 21:00 Dutch time.
QUIET_UNTIL, QUIET_FROM = 8, 21
BATCH = 500


def quiet(clock: Clock) -> bool:
    """Tell whether it is night in the Netherlands now."""
    hour = clock.now().astimezone(AMSTERDAM).hour
    return not QUIET_UNTIL <= hour < QUIET_FROM


class Reminders:
    """Finds unfinished sessions that waited long enough and queues their one reminder."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        localizers: Localizers,
        clock: Clock,
        after: timedelta,
    ) -> None:
        self._sessions = sessions
        self._localizers = localizers
        self._clock = clock
        self._after = after

    def run(self) -> list[Queued]:
        """Queue the reminders that are due now; return them for the sender."""
        if quiet(self._clock):
            return []
        now = self._clock.now()
        queued: list[Queued] = []
        with self._sessions.begin() as db:
            rows = db.execute(
                select(ParentSession, Parent)
                .join(Parent, Parent.id == ParentSession.parent_id)
                .where(
                    ParentSession.status == "active",
                    ParentSession.reminded_at.is_(None),
                    ParentSession.updated_at <= now - self._after,
                    Parent.reminders_off_at.is_(None),
                    Parent.blocked_at.is_(None),
                    Parent.language.is_not(None),
                )
                .order_by(ParentSession.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True, of=ParentSession)
            )
            for session, parent in rows:
                session.reminded_at = now
                texts = self._localizers.get(parent.language or "nl")
                replies = Replies(parent.chat_id)
                replies.send(texts.gettext(msg.REMINDER))
                queued += outbox.queue(db, replies, parent.id)
        if queued:
            log.info("%d reminders queued", len(queued))
        return queued
