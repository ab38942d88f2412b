"""Messages to many families of a school, and each family's one copy of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class Broadcast(Base):
    """One message to all families of some schools, or to those with one need."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The same command again finds this broadcast and resumes it instead of sending anew:
    # a digest of who it is for (schools, need) and of the text.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    # The schools it goes to, as the coordinator named them (a code or a municipality).
    scope: Mapped[str] = mapped_column(String(200))
    need: Mapped[str | None] = mapped_column(String(32))
    # The school writes in this language; each family reads it in its own.
    language: Mapped[str] = mapped_column(String(8), default="nl")
    text: Mapped[str] = mapped_column(Text)
    # The staff member who sent it from Telegram (/bericht), and their school; None for a
    # coordinator's command.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    school_code: Mapped[str | None] = mapped_column(ForeignKey("schools.code"))
    # "command": the command that stored it queues it. From Telegram: "draft" (waiting for
    # the text), "ready" (waiting for the confirm button), "sending" (the bot queues it),
    # "sent" (every family queued) or "cancelled".
    status: Mapped[str] = mapped_column(String(16), default="command")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BroadcastFamily(Base):
    """A family's copy of a broadcast: written with its outbox message, at most once."""

    __tablename__ = "broadcast_families"
    __table_args__ = (UniqueConstraint("broadcast_id", "parent_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True
    )
    # Erasing a parent erases their copy; the outbox message goes with the parent too.
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(8))
    # False when no package translated it: sent as written, with the note that says so.
    translated: Mapped[bool]
