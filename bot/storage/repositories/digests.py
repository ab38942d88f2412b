"""Schools' digests in the database: which are due, their families, their unsent messages."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.clock import aware
from bot.messages.followup import FollowUpStatus
from bot.storage import models
from bot.storage.models import (
    MailFamily,
    MailMessage,
    OutboxFamily,
    OutboxMessage,
    Parent,
    Response,
    School,
)

# A response with the Telegram user of its parent: what a digest lists of a family.
Listed = tuple[Response, int]


class Digests(Protocol):
    """What making and rewriting a digest reads and writes."""

    def due(self, now: datetime, limit: int) -> list[str]:
        """Return the codes of schools whose digest is due (or never planned), by code."""
        ...

    def school(self, code: str, *, locked: bool = False) -> School | None:
        """Return the school; locked, it stays so until the transaction ends."""
        ...

    def new_families(self, code: str) -> list[Listed]:
        """Return the school's responses in no digest yet, or changed since last listed."""
        ...

    def open_families(self, code: str, listed_before: datetime) -> list[Listed]:
        """Return the school's responses in a digest, not helped, last listed before then."""
        ...

    def families(self, response_ids: Collection[int]) -> list[Listed]:
        """Return these responses, oldest first."""
        ...

    def get(self, digest_id: int) -> models.Digest | None:
        """Return a digest as made."""
        ...

    def add(self, digest: models.Digest) -> models.Digest:
        """Store a new digest; its id is set on return."""
        ...

    def assign(self, response_ids: Collection[int], digest_id: int) -> int:
        """Put the responses in no digest yet into this one; return how many were."""
        ...

    def mark_listed(self, response_ids: Collection[int], now: datetime) -> None:
        """Record that the responses were listed in a digest now."""
        ...

    def unsent_parts(self, digest_id: int) -> list[tuple[int, int]]:
        """Return (outbox id, response id) of the digest's parts still waiting to be sent."""
        ...

    def rewrite_part(
        self, outbox_id: int, payload: dict[str, Any], erased: Collection[int]
    ) -> None:
        """Give an unsent part a new text, claimed anew, no longer linked to the erased."""
        ...

    def unsent_mails(self, digest_id: int) -> list[MailMessage]:
        """Return the digest's e-mails still waiting to be sent."""
        ...

    def unlink_mail(self, mail_id: int, erased: Collection[int]) -> None:
        """Drop a rewritten e-mail's links to the erased families, so it is kept."""
        ...


class SqlDigests:
    """Digests on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def due(self, now: datetime, limit: int) -> list[str]:
        """Return the codes of schools whose digest is due (or never planned), by code."""
        return list(
            self._db.scalars(
                select(School.code)
                .where(or_(School.digest_due_at.is_(None), School.digest_due_at <= now))
                .order_by(School.code)
                .limit(limit)
            ).all()
        )

    def school(self, code: str, *, locked: bool = False) -> School | None:
        """Return the school; locked on PostgreSQL (SQLite's writer locks everything)."""
        if locked:
            return self._db.get(School, code, with_for_update=True)
        return self._db.get(School, code)

    def new_families(self, code: str) -> list[Listed]:
        """Return the school's responses in no digest yet, or changed since last listed.

        A changed one keeps the digest it first came in: it is listed again, as updated.
        """
        return self._listed(
            _of_school(code).where(or_(Response.digest_id.is_(None), _CHANGED_SINCE_LISTED))
        )

    def open_families(self, code: str, listed_before: datetime) -> list[Listed]:
        """Return the school's responses in a digest, not helped, last listed before then.

        A family that changed its answers since is listed as updated instead, once.
        """
        return self._listed(
            _of_school(code).where(
                Response.digest_id.is_not(None),
                Response.followup_status != FollowUpStatus.HELPED,
                Response.listed_at <= listed_before,
                ~_CHANGED_SINCE_LISTED,
            )
        )

    def families(self, response_ids: Collection[int]) -> list[Listed]:
        """Return these responses, oldest first."""
        return self._listed(_with_user().where(Response.id.in_(response_ids)).order_by(Response.id))

    def get(self, digest_id: int) -> models.Digest | None:
        """Return a digest as made."""
        return self._db.get(models.Digest, digest_id)

    def add(self, digest: models.Digest) -> models.Digest:
        """Store a new digest; its id is set on return."""
        self._db.add(digest)
        self._db.flush()
        return digest

    def assign(self, response_ids: Collection[int], digest_id: int) -> int:
        """Put the responses in no digest yet into this one; return how many were."""
        assigned = self._db.execute(
            update(Response)
            .where(Response.id.in_(response_ids), Response.digest_id.is_(None))
            .values(digest_id=digest_id)
            .execution_options(synchronize_session=False)
        )
        return int(assigned.rowcount)  # type: ignore[attr-defined]

    def mark_listed(self, response_ids: Collection[int], now: datetime) -> None:
        """Record that the responses were listed in a digest now."""
        self._db.execute(
            update(Response)
            .where(Response.id.in_(response_ids))
            .values(listed_at=now)
            .execution_options(synchronize_session=False)
        )

    def unsent_parts(self, digest_id: int) -> list[tuple[int, int]]:
        """Return (outbox id, response id) of the digest's parts still waiting to be sent."""
        links = self._db.execute(
            select(OutboxFamily.outbox_id, OutboxFamily.response_id)
            .join(OutboxMessage, OutboxMessage.id == OutboxFamily.outbox_id)
            .where(OutboxFamily.digest_id == digest_id, OutboxMessage.sent_at.is_(None))
        ).all()
        return [(outbox_id, response_id) for outbox_id, response_id in links]

    def rewrite_part(
        self, outbox_id: int, payload: dict[str, Any], erased: Collection[int]
    ) -> None:
        """Give an unsent part a new text, claimed anew, no longer linked to the erased."""
        # Claimed anew: a sender holding the old text loses its claim and does not send
        # it; the next sweep sends the new one.
        self._db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(payload=payload, claim=OutboxMessage.claim + 1, claimed_at=None)
        )
        self._db.execute(
            delete(OutboxFamily).where(
                OutboxFamily.outbox_id == outbox_id, OutboxFamily.response_id.in_(erased)
            )
        )

    def unsent_mails(self, digest_id: int) -> list[MailMessage]:
        """Return the digest's e-mails still waiting to be sent."""
        return list(
            self._db.scalars(
                select(MailMessage).where(
                    MailMessage.digest_id == digest_id, MailMessage.sent_at.is_(None)
                )
            )
        )

    def unlink_mail(self, mail_id: int, erased: Collection[int]) -> None:
        """Drop a rewritten e-mail's links to the erased families, so it is kept."""
        self._db.execute(
            delete(MailFamily).where(
                MailFamily.mail_id == mail_id, MailFamily.response_id.in_(erased)
            )
        )

    def _listed(self, query: Any) -> list[Listed]:
        return [(response, user) for response, user in self._db.execute(query)]


# A response the school saw, whose family changed the answers after it was last listed.
_CHANGED_SINCE_LISTED = and_(
    Response.digest_id.is_not(None),
    Response.changed_at.is_not(None),
    Response.listed_at.is_not(None),
    Response.changed_at > Response.listed_at,
)


def changed_since_listed(response: Response) -> bool:
    """Tell whether the family changed its answers after a digest last listed it."""
    changed, listed = response.changed_at, response.listed_at
    if response.digest_id is None or changed is None or listed is None:
        return False
    return aware(changed) > aware(listed)


def _with_user() -> Any:
    return select(Response, Parent.telegram_user_id).join(Parent, Parent.id == Response.parent_id)


def _of_school(code: str) -> Any:
    return _with_user().where(Response.school_code == code).order_by(Response.id)
