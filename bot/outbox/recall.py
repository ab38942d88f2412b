"""Recall what the bot still holds about families being erased: staff messages and e-mails.

A message already delivered to a school stays with the school (the parent is told so);
what is still waiting is deleted, and a digest that also carries other families is
rewritten without the erased ones, so the others still reach their school. A revoked
staff member's unsent messages about their school's families are recalled the same way.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session

from bot.storage.models import Staff
from bot.storage.repositories.recalls import SqlRecalls

if TYPE_CHECKING:
    from bot.storage.unit import SqlUnitOfWork


class DigestRewriter(Protocol):
    """Rewrites a digest's unsent messages without some of its families."""

    def without(self, unit: SqlUnitOfWork, digest_id: int, erased: frozenset[int]) -> None:
        """Rewrite the digest's unsent parts and e-mail without the erased responses.

        A message it keeps must no longer name an erased response in its links; one it
        leaves linked is deleted by the caller.
        """
        ...


def recall_families(
    unit: SqlUnitOfWork, response_ids: Collection[int], digests: DigestRewriter | None = None
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


def recall(
    db: Session, response_ids: Collection[int], digests: DigestRewriter | None = None
) -> int:
    """Recall the messages about these responses on an open session (see recall_families).

    For the queries that still hold a bare session (erasing a parent); they move to the
    unit of work with their rooms.
    """
    # Imported here: the unit of work imports the repositories, one of which still reads
    # through bot.storage.store, which imports this module.
    from bot.storage.unit import SqlUnitOfWork

    return recall_families(SqlUnitOfWork(db), response_ids, digests)


def recall_for_revoked(db: Session, member: Staff) -> int:
    """Delete the unsent messages that would show a revoked member their school's families.

    Not when another active member of the school reads the same chat (a group): they
    are theirs too. Return how many went.
    """
    recalls = SqlRecalls(db)
    if recalls.shares_chat(member):
        return 0
    return recalls.delete_unsent_to(member)
