"""Stored messages about families, as far as recalling them needs: what still waits, and whose."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from sqlalchemy import Delete, delete, select
from sqlalchemy.orm import Session

from bot.storage.models import (
    MailFamily,
    MailMessage,
    OutboxFamily,
    OutboxMessage,
    Response,
    Staff,
    VoiceCopy,
)


class Recalls(Protocol):
    """The staff messages and e-mails that name families, and their deletion."""

    def unsent_digests(self, erased: Collection[int]) -> list[int]:
        """Return the digests with an unsent part or e-mail that carries one of the families."""
        ...

    def delete_about(self, erased: Collection[int]) -> int:
        """Delete every stored message and e-mail linked to the families; return how many."""
        ...

    def shares_chat(self, member: Staff) -> bool:
        """Tell whether another active member of the school reads the member's chat."""
        ...

    def keep_copy(self, response_ids: Collection[int], chat_id: int, message_id: int) -> None:
        """Remember a voice note played in a chat, for the families it is of."""
        ...

    def take_copies(self, erased: Collection[int]) -> list[tuple[int, int]]:
        """Forget the played copies of the families' voice notes; return (chat, message)."""
        ...

    def delete_unsent_to(self, member: Staff) -> int:
        """Delete the unsent messages to the member's chat about their school's families."""
        ...


class SqlRecalls:
    """Recalling messages on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def unsent_digests(self, erased: Collection[int]) -> list[int]:
        """Return the digests with an unsent part or e-mail that carries one of the families."""
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
        found = {*self._db.scalars(parts), *self._db.scalars(mails)}
        return sorted(d for d in found if d is not None)

    def delete_about(self, erased: Collection[int]) -> int:
        """Delete every stored message and e-mail linked to the families; return how many."""
        outbox = delete(OutboxMessage).where(
            OutboxMessage.id.in_(
                select(OutboxFamily.outbox_id).where(OutboxFamily.response_id.in_(erased))
            )
        )
        mails = delete(MailMessage).where(
            MailMessage.id.in_(select(MailFamily.mail_id).where(MailFamily.response_id.in_(erased)))
        )
        return self._count(outbox) + self._count(mails)

    def keep_copy(self, response_ids: Collection[int], chat_id: int, message_id: int) -> None:
        """Remember a voice note played in a chat, for the families it is of."""
        # Only families still stored: one erased while its note went out needs no record.
        alive = self._db.scalars(select(Response.id).where(Response.id.in_(response_ids)))
        self._db.add_all(
            VoiceCopy(response_id=rid, chat_id=chat_id, message_id=message_id) for rid in alive
        )

    def take_copies(self, erased: Collection[int]) -> list[tuple[int, int]]:
        """Forget the played copies of the families' voice notes; return (chat, message)."""
        rows = self._db.execute(
            delete(VoiceCopy)
            .where(VoiceCopy.response_id.in_(erased))
            .returning(VoiceCopy.chat_id, VoiceCopy.message_id)
        )
        return sorted({(chat_id, message_id) for chat_id, message_id in rows})

    def shares_chat(self, member: Staff) -> bool:
        """Tell whether another active member of the school reads the member's chat."""
        shared = self._db.scalar(
            select(Staff.id).where(
                Staff.school_code == member.school_code,
                Staff.chat_id == member.chat_id,
                Staff.id != member.id,
                Staff.revoked_at.is_(None),
            )
        )
        return shared is not None

    def delete_unsent_to(self, member: Staff) -> int:
        """Delete the unsent messages to the member's chat about their school's families."""
        about_school = (
            select(OutboxFamily.outbox_id)
            .join(Response, Response.id == OutboxFamily.response_id)
            .where(Response.school_code == member.school_code)
        )
        return self._count(
            delete(OutboxMessage).where(
                OutboxMessage.chat_id == member.chat_id,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.id.in_(about_school),
            )
        )

    def _count(self, statement: Delete) -> int:
        return int(self._db.execute(statement).rowcount or 0)  # type: ignore[attr-defined]
