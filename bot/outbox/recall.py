"""Recall what the bot still holds about families being erased: staff messages and e-mails.

A message already delivered to a school stays with the school (the parent is told so);
what is still waiting is deleted, and a digest that also carries other families is
rewritten without the erased ones, so the others still reach their school. A revoked
staff member's unsent messages about their school's families are recalled the same way.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage.models import (
    MailFamily,
    MailMessage,
    OutboxFamily,
    OutboxMessage,
    Response,
    Staff,
)


class DigestRewriter(Protocol):
    """Rewrites a digest's unsent messages without some of its families."""

    def without(self, db: Session, digest_id: int, erased: frozenset[int]) -> None:
        """Rewrite the digest's unsent parts and e-mail without the erased responses.

        A message it keeps must no longer name an erased response in its links; one it
        leaves linked is deleted by the caller.
        """
        ...


def recall(
    db: Session, response_ids: Collection[int], digests: DigestRewriter | None = None
) -> int:
    """Delete every stored message about these responses; return how many went.

    Without a rewriter a digest part that also carries other families goes as well:
    the erased family's words must not be sent, even at the cost of the others' part.
    """
    erased = frozenset(response_ids)
    if not erased:
        return 0
    if digests is not None:
        for digest_id in _unsent_digests(db, erased):
            digests.without(db, digest_id, erased)
    outbox = db.execute(
        delete(OutboxMessage).where(
            OutboxMessage.id.in_(
                select(OutboxFamily.outbox_id).where(OutboxFamily.response_id.in_(erased))
            )
        )
    )
    mails = db.execute(
        delete(MailMessage).where(
            MailMessage.id.in_(select(MailFamily.mail_id).where(MailFamily.response_id.in_(erased)))
        )
    )
    return (outbox.rowcount or 0) + (mails.rowcount or 0)  # type: ignore[attr-defined]


def recall_for_revoked(db: Session, member: Staff) -> int:
    """Delete the unsent messages that would show a revoked member their school's families.

    Not when another active member of the school reads the same chat (a group): they
    are theirs too. Return how many went.
    """
    shared = db.scalar(
        select(Staff.id).where(
            Staff.school_code == member.school_code,
            Staff.chat_id == member.chat_id,
            Staff.id != member.id,
            Staff.revoked_at.is_(None),
        )
    )
    if shared is not None:
        return 0
    about_school = (
        select(OutboxFamily.outbox_id)
        .join(Response, Response.id == OutboxFamily.response_id)
        .where(Response.school_code == member.school_code)
    )
    gone = db.execute(
        delete(OutboxMessage).where(
            OutboxMessage.chat_id == member.chat_id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.id.in_(about_school),
        )
    )
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]


def _unsent_digests(db: Session, erased: frozenset[int]) -> list[int]:
    """Return the digests with an unsent part or e-mail that carries an erased family."""
    parts = (
        select(OutboxFamily.digest_id)
        .join(OutboxMessage, OutboxMessage.id == OutboxFamily.outbox_id)
        .where(
            OutboxFamily.response_id.in_(erased),
            OutboxFamily.digest_id.is_not(None),
            OutboxMessage.sent_at.is_(None),
        )
    )
    mails = (
        select(MailMessage.digest_id)
        .join(MailFamily, MailFamily.mail_id == MailMessage.id)
        .where(
            MailFamily.response_id.in_(erased),
            MailMessage.digest_id.is_not(None),
            MailMessage.sent_at.is_(None),
        )
    )
    found = {*db.scalars(parts), *db.scalars(mails)}
    return sorted(d for d in found if d is not None)
