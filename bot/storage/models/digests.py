"""The digests schools receive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class Digest(Base):
    """One digest of one school: which families it holds, rendered once, sent from the outbox.

    The unique (school, due time) pair is the claim: of two processes that find the same
    scheduled digest due, one inserts it and the other fails and leaves it.
    """

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("school_code", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_code: Mapped[str] = mapped_column(ForeignKey("schools.code"), index=True)
    # The scheduled time it is for; for `digest send` the time it was asked for.
    due_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str] = mapped_column(String(8))
    # How many families were new in it, and how many were listed again as still open.
    new_count: Mapped[int] = mapped_column(default=0)
    open_count: Mapped[int] = mapped_column(default=0)
    # The response ids of each Telegram message, in order: the follow-up buttons of one
    # message are redrawn from this after a press.
    parts: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
