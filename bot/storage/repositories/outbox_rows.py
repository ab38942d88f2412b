"""The outbox's rows as the sender keeps them: claims renewed, abandoned rows taken over,
outcomes recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.orm import Session

from bot.storage.models import Base, OutboxMessage, Parent

# An outcome as the sender records it: the outbox id, and None when it was sent or the
# class of the error for which it was given up.
Outcome = tuple[int, str | None]

_OUTBOX = Base.metadata.tables[OutboxMessage.__tablename__]
_MARK_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("rows", expanding=True)))
    .values(sent_at=bindparam("now"))
)
_MARK_GIVEN_UP = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row"))
    .values(sent_at=bindparam("now"), last_error=bindparam("error"))
)

_NOTE_TELEGRAM_ID = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row"))
    .values(telegram_message_id=bindparam("telegram"))
)


class OutboxRows(Protocol):
    """What the sender reads and writes of the outbox once a message is queued."""

    def abandoned(self, claimed_before: datetime, limit: int) -> list[OutboxMessage]:
        """Return the oldest unsent rows unclaimed since then, locked for this transaction
        (rows another sweep holds locked are passed over)."""
        ...

    def reclaim(self, row: OutboxMessage, now: datetime) -> int:
        """Claim an abandoned row anew; return the claim's number."""
        ...

    def give_up(self, row: OutboxMessage, reason: str, now: datetime) -> None:
        """Mark a row that can never be sent as finished, with the reason's name."""
        ...

    def renew(self, held: Sequence[tuple[int, int]], now: datetime) -> set[int]:
        """Renew the claims (outbox id, claim number) still numbered so; return their ids."""
        ...

    def record(self, outcomes: Sequence[Outcome], now: datetime) -> None:
        """Mark messages sent, or given up with the error's class."""
        ...

    def note_telegram_ids(self, ids: Sequence[tuple[int, int]]) -> None:
        """Keep the ids Telegram gave delivered messages (outbox id, Telegram's id)."""
        ...

    def chat_blocked(self, chat_id: int, now: datetime) -> None:
        """Note that a chat blocked the bot: its parent gets nothing more until they return."""
        ...


class SqlOutboxRows:
    """The outbox's rows in the database."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def abandoned(self, claimed_before: datetime, limit: int) -> list[OutboxMessage]:
        """Return the oldest unsent rows unclaimed since then, locked for this transaction."""
        claimed = OutboxMessage.claimed_at
        return list(
            self._db.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None))
                .where(claimed.is_(None) | (claimed < claimed_before))
                .order_by(OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )

    def reclaim(self, row: OutboxMessage, now: datetime) -> int:
        """Claim an abandoned row anew: a sender holding the old number no longer sends it."""
        row.claimed_at = now
        row.claim += 1
        return row.claim

    def give_up(self, row: OutboxMessage, reason: str, now: datetime) -> None:
        """Mark a row finished without sending it, so that no sweep tries it again."""
        row.sent_at, row.last_error = now, reason

    def renew(self, held: Sequence[tuple[int, int]], now: datetime) -> set[int]:
        """Renew the claims still numbered as they were taken; return the ids of those."""
        renewed = self._db.execute(
            update(_OUTBOX)
            .where(_OUTBOX.c.sent_at.is_(None))
            .where(tuple_(_OUTBOX.c.id, _OUTBOX.c.claim).in_(held))
            .values(claimed_at=now)
            .returning(_OUTBOX.c.id)
        )
        return set(renewed.scalars())

    def record(self, outcomes: Sequence[Outcome], now: datetime) -> None:
        """Mark messages sent, or given up with the error's class."""
        sent = [outbox_id for outbox_id, error in outcomes if error is None]
        failed = [{"row": i, "now": now, "error": e} for i, e in outcomes if e is not None]
        # Core statements on the session's connection: written after every answer from
        # Telegram, the ORM's bulk-update machinery was a tenth of the bot's time.
        connection = self._db.connection()
        if sent:
            connection.execute(_MARK_SENT, {"rows": sent, "now": now})
        if failed:
            connection.execute(_MARK_GIVEN_UP, failed)

    def note_telegram_ids(self, ids: Sequence[tuple[int, int]]) -> None:
        """Keep the ids Telegram gave delivered messages (outbox id, Telegram's id)."""
        self._db.connection().execute(
            _NOTE_TELEGRAM_ID, [{"row": outbox_id, "telegram": t} for outbox_id, t in ids]
        )

    def chat_blocked(self, chat_id: int, now: datetime) -> None:
        """Note when a chat blocked the bot."""
        self._db.execute(update(Parent).where(Parent.chat_id == chat_id).values(blocked_at=now))
