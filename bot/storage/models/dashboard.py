"""What the web dashboard keeps: needs per response, sign-in links, sessions' audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class ResponseNeed(Base):
    """One need a response declared (device, internet, help, interpreter, ...).

    Written in the transaction that stores the response and erased with it (cascade), so
    the dashboard counts needs per school from an index instead of reading every answer.
    """

    __tablename__ = "response_needs"
    __table_args__ = (Index("ix_response_needs_school_need", "school_code", "need"),)

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    need: Mapped[str] = mapped_column(String(32), primary_key=True)
    school_code: Mapped[str | None] = mapped_column(String(8))


class SignInLink(Base):
    """A one-time dashboard sign-in link, stored only as the hash of its secret."""

    __tablename__ = "signin_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # Set when the link signs someone in; a used link never works again. The session it
    # started lasts until `ended_at` (signing out) or SESSION_HOURS after this.
    used_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who looked at or exported what on the dashboard, and when."""

    __tablename__ = "dashboard_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    action: Mapped[str] = mapped_column(String(32))
    # What was looked at: a school code, "overview", a response id.
    subject: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
