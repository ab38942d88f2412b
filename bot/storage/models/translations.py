"""Machine translations of parents' free text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class Translation(Base):
    """A machine translation of one free-text answer into one language, beside the original.

    The original stays in the session (and response); this row holds only the translation,
    the hash of the text it was made from (so a changed answer is noticed), and how it went.
    """

    __tablename__ = "translations"
    __table_args__ = (
        UniqueConstraint("session_id", "step_id", "target_language"),
        # A done row with the same text and pair answers a new request without the model.
        Index("ix_translations_same_text", "source_language", "target_language", "source_hash"),
        Index("ix_translations_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Erasing a parent erases their sessions, and with them these rows.
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    step_id: Mapped[str] = mapped_column(String(64))
    source_language: Mapped[str] = mapped_column(String(8))
    target_language: Mapped[str] = mapped_column(String(8))
    # sha256 of the answer's text, hex.
    source_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    # Which package(s) made it: "ar-en@1.9+en-nl@1.9" for a pivot through English.
    package: Mapped[str | None] = mapped_column(String(200))
    # pending, done or untranslated.
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    # Why the last attempt failed: an error class name, never message content.
    last_error: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
