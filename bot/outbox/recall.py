"""Recall what the bot still holds about families being erased: staff messages and e-mails.

A message already delivered to a school stays with the school (the parent is told so);
what is still waiting is deleted, and a digest that also carries other families is
rewritten without the erased ones, so the others still reach their school. A revoked
staff member's unsent messages about their school's families are recalled the same way.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from bot.messages.replies import Reply
from bot.storage.models import Staff
from bot.storage.queue import Queued
from bot.storage.unit import Transactions, UnitOfWork


class DigestRewriter(Protocol):
    """Rewrites a digest's unsent messages without some of its families."""

    def without(self, unit: UnitOfWork, digest_id: int, erased: frozenset[int]) -> None:
        """Rewrite the digest's unsent parts and e-mail without the erased responses.

        A message it keeps must no longer name an erased response in its links; one it
        leaves linked is deleted by the caller.
        """
        ...


def recall_families(
    unit: UnitOfWork, response_ids: Collection[int], digests: DigestRewriter | None = None
) -> int:
    """Delete every stored message about these responses; return how many went.

    Without a rewriter a digest part that also carries other families goes as well:
    the erased family's words must not be sent, even at the cost of the others' part.
    """
    erased = frozenset(response_ids)
    if not erased:
        return 0
    if digests is not None:
        for digest_id in unit.recalls.unsent_digests(erased):
            digests.without(unit, digest_id, erased)
    return unit.recalls.delete_about(erased)


def delete_played(unit: UnitOfWork, response_ids: Collection[int]) -> list[Queued]:
    """Queue the deletion of the families' voice notes played in staff chats.

    Telegram allows it for 48 hours; an older copy stays with the school, as the digest
    does. The deletions belong to nobody: nothing recalls them.
    """
    queued: list[Queued] = []
    for chat_id, message_id in unit.recalls.take_copies(frozenset(response_ids)):
        queued += unit.outbox.queue(chat_id, [Reply("delete", message_id=message_id)], None)
    return queued


def remember_copy(
    transactions: Transactions, response_ids: tuple[int, ...], chat_id: int, message_id: int
) -> None:
    """Store where a family's voice note was played (in a database thread)."""
    with transactions.begin() as unit:
        unit.recalls.keep_copy(response_ids, chat_id, message_id)


def recall_for_revoked(unit: UnitOfWork, member: Staff) -> int:
    """Delete the unsent messages that would show a revoked member their school's families.

    Not when another active member of the school reads the same chat (a group): they
    are theirs too. Return how many went.
    """
    if unit.recalls.shares_chat(member):
        return 0
    return unit.recalls.delete_unsent_to(member)
