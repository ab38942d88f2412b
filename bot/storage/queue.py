"""Storing what goes out: every message is in the outbox tables, written in the transaction
that decided it, before it is sent (bot/outbox/ sends it)."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bot.messages.replies import Button, Replies, Reply
from bot.storage.models import Base, MailFamily, MailMessage, OutboxFamily, OutboxMessage, utcnow

_OUTBOX = Base.metadata.tables[OutboxMessage.__tablename__]
_QUEUE_MESSAGE = insert(_OUTBOX).returning(_OUTBOX.c.id)


@dataclass(frozen=True, slots=True)
class Queued:
    """A reply stored in the outbox, ready for the sender."""

    outbox_id: int
    chat_id: int
    reply: Reply
    # The number of the claim this process holds on it (the outbox's `claim` column),
    # and when (time.monotonic(), taken before the claim was written: never later).
    claim: int = 0
    claimed: float = field(default_factory=time.monotonic)


def queue(
    db: Session, replies: Replies, parent_id: int | None, *, digest_id: int | None = None
) -> list[Queued]:
    """Store the replies in the outbox; the caller hands them to the sender after commit.

    A reply that carries families (see Reply.carrying) is linked to them, and to its
    digest when it is a digest's part, so that erasing one of them can recall it.
    """
    if not replies.items:
        return []
    claimed = time.monotonic()  # before claimed_at, so the sender never thinks it younger
    now = utcnow()
    rows = [
        {
            "chat_id": replies.chat_id,
            "parent_id": parent_id,
            "action": reply.action,
            "payload": reply.to_payload(),
            "created_at": now,
            # Claimed by this process, which sends it right after commit; the sweep
            # takes it over only if that never happens.
            "claimed_at": now,
            "attempts": 0,
        }
        for reply in replies.items
    ]
    connection = db.connection()
    ids = [connection.execute(_QUEUE_MESSAGE, row).scalar_one() for row in rows]
    queued = [
        Queued(i, replies.chat_id, r, claimed=claimed)
        for i, r in zip(ids, replies.items, strict=True)
    ]
    links = [
        {"outbox_id": item.outbox_id, "response_id": response_id, "digest_id": digest_id}
        for item in queued
        for response_id in dict.fromkeys(item.reply.carrying)
    ]
    if links:
        db.execute(insert(OutboxFamily), links)
    return queued


def queue_to_chats(
    db: Session,
    chat_ids: Iterable[int],
    text: str,
    buttons: tuple[tuple[Button, ...], ...] = (),
    *,
    carrying: Collection[int] = (),
) -> list[Queued]:
    """Store the same message for each chat (staff, coordinators), on behalf of no parent.

    `carrying` names the responses whose families the text shows, so that erasing one of
    them can recall the message while it is unsent.
    """
    queued: list[Queued] = []
    for chat_id in chat_ids:
        replies = Replies(chat_id)
        replies.send(text, buttons, carrying=tuple(carrying))
        queued += queue(db, replies, None)
    return queued


def queue_mail(db: Session, mail: MailMessage, response_ids: Collection[int]) -> MailMessage:
    """Store an e-mail for the mail sender, with the families it shows."""
    db.add(mail)
    if response_ids:
        db.flush()
        rows = [{"mail_id": mail.id, "response_id": r} for r in dict.fromkeys(response_ids)]
        db.execute(insert(MailFamily), rows)
    return mail
