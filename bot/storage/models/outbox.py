"""Messages and e-mails waiting to go out, and which families each carries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class OutboxMessage(Base):
    """A message to send, stored with the change that caused it so a crash cannot lose it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_unsent", "sent_at", "id"),
        Index("ix_outbox_telegram_message", "chat_id", "telegram_message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # Erasing a parent erases what was still waiting to be sent to them.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("parents.id", ondelete="CASCADE"), index=True
    )
    # What to do: send, edit_markup or answer_callback; `payload` holds the rest.
    action: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A sender took it at this time; another may take it again if it never finished.
    claimed_at: Mapped[datetime | None]
    # Counts the times it was taken: a sender sends only while the number it took it
    # with is still the stored one (another process may have taken it over meanwhile).
    claim: Mapped[int] = mapped_column(default=0, server_default="0")
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    # Why the last attempt failed: an error class name, never message content.
    last_error: Mapped[str | None] = mapped_column(String(200))
    # The id Telegram gave the message it delivered, so a reply to it can be traced back.
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)


class MailMessage(Base):
    """An e-mail to send (a digest, an urgent alert, a notice), stored with its cause."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_unsent", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("digests.id", ondelete="CASCADE"), index=True
    )
    recipients: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A sender took it at this time; another may take it again if it never finished.
    claimed_at: Mapped[datetime | None]
    # Not before this time: the backoff after a failed attempt.
    retry_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    # Why the last attempt failed: an error class name and SMTP code, never content.
    last_error: Mapped[str | None] = mapped_column(String(200))


class OutboxFamily(Base):
    """Which families a staff message carries, so erasing a family can recall what is unsent.

    Rows go with their message (ON DELETE CASCADE); the erase removes the message first.
    """

    __tablename__ = "outbox_families"

    outbox_id: Mapped[int] = mapped_column(
        ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True
    )
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The digest the message is a part of; None for an urgent alert.
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("digests.id", ondelete="CASCADE"), index=True
    )


class MailFamily(Base):
    """Which families an e-mail carries (an urgent alert, a digest and its CSV)."""

    __tablename__ = "mail_families"

    mail_id: Mapped[int] = mapped_column(
        ForeignKey("mail_outbox.id", ondelete="CASCADE"), primary_key=True
    )
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class VoiceCopy(Base):
    """A family's voice note as played in a staff chat: erasing the family deletes it there.

    Telegram lets a bot delete its own messages in a private chat for 48 hours; after that
    the copy stays with the school, as the digest does.
    """

    __tablename__ = "voice_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
