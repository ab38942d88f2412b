"""How a staff message's delivery ended, told to the staff member who wrote it."""

from __future__ import annotations

from collections.abc import Sequence

from bot.conversations.letters import outcome_notice
from bot.storage.queue import Queued
from bot.storage.unit import UnitOfWork


def delivery_ended(unit: UnitOfWork, outcomes: Sequence[tuple[int, str | None]]) -> list[Queued]:
    """Mark the conversation messages these outcomes carried; tell their writers.

    Runs in the transaction that records the outcomes, so each writer hears once.
    """
    queued: list[Queued] = []
    for message in unit.conversations.delivered(outcomes):
        member = unit.staff.get(message.staff_id) if message.staff_id else None
        if member is None or member.revoked_at is not None or member.inactive_at is not None:
            continue
        queued += unit.outbox.to_chats([member.chat_id], outcome_notice(message))
    return queued
