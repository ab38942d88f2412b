"""What the running bot remembers about itself: updates it handled, what it learned."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class ProcessedUpdate(Base):
    """A Telegram update that took effect, recorded in the same transaction as its effect."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class StoredSetting(Base):
    """A value the installation learned while running (the bot's username from Telegram).

    Settings the operator chooses stay in the environment; these are remembered so that
    a command run later, without asking Telegram, knows them too.
    """

    __tablename__ = "stored_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
