"""What a school and a family wrote to each other, both ways, with its translation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow

# Who wrote a message.
STAFF = "staff"
PARENT = "parent"
# Where a message is: waiting for the translator, waiting in the outbox, and how it ended.
TRANSLATING = "translating"
SENDING = "sending"
DELIVERED = "delivered"
BLOCKED = "blocked"
FAILED = "failed"
# The error the outbox records for a chat that blocked the bot.
FORBIDDEN = "Forbidden"


class ConversationMessage(Base):
    """One message between a school's staff and one family (a parent, at one school).

    Erasing the parent erases the conversation (ON DELETE CASCADE); retention ends it
    after RETENTION_MESSAGE_DAYS like every other stored message.
    """

    __tablename__ = "conversation_messages"
    __table_args__ = (Index("ix_conversation_family", "parent_id", "school_code", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"))
    school_code: Mapped[str] = mapped_column(ForeignKey("schools.code"), index=True)
    # The family's number in the digests (the response staff wrote from), for staff to see.
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(8))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    # The display name the staff member chose, as it was when they wrote.
    staff_name: Mapped[str | None] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8))
    translation: Mapped[str | None] = mapped_column(Text)
    # Set when the text could not be translated (no package): the reader needs an interpreter.
    untranslated: Mapped[bool] = mapped_column(default=False)
    # A voice note, photo or document a parent sent: copied to staff as it is.
    media: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12), default=TRANSLATING)
    # The message's id in its author's chat (a reply to it there names it).
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # The outbox row that carries a staff message to the parent: its Telegram id maps
    # the parent's reply back to this conversation.
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
