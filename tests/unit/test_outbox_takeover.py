"""A sweep takes over what nobody finished sending, on a unit of work kept in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.outbox.claims import take_over
from bot.storage.models import OutboxMessage, utcnow
from tests.fakes.units import FakeUnitOfWork

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
CUTOFF = NOW - timedelta(seconds=30)


def row(row_id: int, claimed_at: datetime | None, **payload: object) -> OutboxMessage:
    body = {"action": "send", "text": f"Bericht {row_id}", **payload}
    return OutboxMessage(
        id=row_id, chat_id=100 + row_id, action="send", payload=body, claimed_at=claimed_at, claim=0
    )


def test_only_messages_whose_claim_ran_out_are_taken_over_and_numbered_anew() -> None:
    unit = FakeUnitOfWork()
    unit.outbox_rows.rows = [row(1, None), row(2, NOW), row(3, CUTOFF - timedelta(seconds=1))]
    taken = take_over(unit, CUTOFF, frozenset())
    assert [(q.outbox_id, q.chat_id, q.claim, q.reply.text) for q in taken] == [
        (1, 101, 1, "Bericht 1"),
        (3, 103, 1, "Bericht 3"),
    ]
    assert [r.claim for r in unit.outbox_rows.rows] == [1, 0, 1]


def test_a_message_this_sender_still_holds_is_left_to_its_lane() -> None:
    unit = FakeUnitOfWork()
    unit.outbox_rows.rows = [row(1, None), row(2, None)]
    taken = take_over(unit, CUTOFF, frozenset({1}))
    assert [q.outbox_id for q in taken] == [2]
    assert unit.outbox_rows.rows[0].claim == 0


def test_a_message_nobody_can_read_is_given_up_and_the_others_still_go() -> None:
    unit = FakeUnitOfWork()
    unit.outbox_rows.rows = [row(1, None, silent=True), row(2, None)]
    taken = take_over(unit, CUTOFF, frozenset())
    assert [q.outbox_id for q in taken] == [2]
    unreadable = unit.outbox_rows.rows[0]
    assert (unreadable.sent_at is not None, unreadable.last_error) == (True, "TypeError")
    # Given up, it is no longer abandoned: a later sweep passes it by.
    later = utcnow() + timedelta(hours=1)
    assert [r.id for r in unit.outbox_rows.abandoned(later, 10)] == [2]
