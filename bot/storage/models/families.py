"""Parents, their sessions through a flow, and the responses they finished."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.messages.followup import FollowUpStatus
from bot.storage.models.base import Base, utcnow


class Parent(Base):
    """A parent who talks to the bot, known by their Telegram user id."""

    __tablename__ = "parents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # None until the parent picked a language.
    language: Mapped[str | None] = mapped_column(String(8))
    # The school of the link the parent arrived by, kept until a session starts.
    arrival_school: Mapped[str | None] = mapped_column(String(8))
    # The flow of the link the parent arrived by (a flow link), kept until a session starts.
    arrival_flow: Mapped[str | None] = mapped_column(String(64))
    # Set when Telegram says the parent blocked the bot; nothing is sent then.
    blocked_at: Mapped[datetime | None]
    # Set by /stop: no reminders for unfinished questions are sent then.
    reminders_off_at: Mapped[datetime | None]
    # "Read the questions to me": each question also comes as a voice note.
    read_aloud: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The school whose message the parent pressed "answer" under: their next text goes there.
    answering_school: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[ParentSession]] = relationship(
        back_populates="parent", cascade="all, delete-orphan", passive_deletes=True
    )


class FlowVersion(Base):
    """A flow definition exactly as it was loaded, so a session can finish on it."""

    __tablename__ = "flow_versions"

    revision: Mapped[str] = mapped_column(String(64), primary_key=True)
    flow_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The parsed definition (bot.flowfiles.stored), read instead of the source; None if unusable.
    definition: Mapped[dict[str, Any] | None]


class ParentSession(Base):
    """One parent's way through one flow, for one child."""

    __tablename__ = "sessions"
    __table_args__ = (
        Index("ix_sessions_parent_status", "parent_id", "status"),
        # The dashboard's drop-off per question: sessions by revision, status and step.
        Index("ix_sessions_dropoff", "flow_revision", "status", "at_step"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"))
    flow_id: Mapped[str] = mapped_column(String(64))
    flow_revision: Mapped[str] = mapped_column(ForeignKey("flow_versions.revision"))
    # The engine's SessionState, as JSON.
    state: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))
    # Which child of the family this is: 1 for the first, 2 for the next...
    child_number: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The one reminder for an unfinished session went out at this time.
    reminded_at: Mapped[datetime | None]
    # The finished response this session changes (from /status); None for a new child.
    amends_response_id: Mapped[int | None]
    # The question the session stands at (the engine's `current`), kept beside the state
    # so that where parents stop is counted from an index.
    at_step: Mapped[str | None] = mapped_column(String(64))

    parent: Mapped[Parent] = relationship(back_populates="sessions")


class Response(Base):
    """The answers of one finished session: one child at one school."""

    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_school_completed", "school_code", "completed_at"),
        # The dashboard's counts per school, day, language and follow-up state.
        Index("ix_responses_school_followup", "school_code", "followup_status", "completed_at"),
        Index("ix_responses_completed_language", "completed_at", "language"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), unique=True
    )
    # None when the parent's school is not in the list: kept for the coordinator.
    school_code: Mapped[str | None] = mapped_column(ForeignKey("schools.code"))
    # What the parent typed when looking for a school that was not listed.
    school_query: Mapped[str | None] = mapped_column(String(200))
    flow_id: Mapped[str] = mapped_column(String(64))
    flow_revision: Mapped[str] = mapped_column(ForeignKey("flow_versions.revision"))
    flow_version: Mapped[int]
    language: Mapped[str] = mapped_column(String(8))
    child_number: Mapped[int] = mapped_column(default=1)
    # Choice keys, never labels: one answer means the same in every language.
    answers: Mapped[dict[str, Any]]
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The answers the school last saw, kept when the family changed them after a digest.
    previous_answers: Mapped[dict[str, Any] | None]
    # When the family last changed its answers; a digest lists it again once after that.
    changed_at: Mapped[datetime | None]
    # The digest that brought this family to its school: set once, in the digest's own
    # transaction, so every response is in exactly one digest.
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("digests.id", ondelete="SET NULL"), index=True
    )
    # When a digest last listed the family (new, or again under "still open").
    listed_at: Mapped[datetime | None]
    # The school's follow-up: open, contacted or helped; who set it and when.
    followup_status: Mapped[str] = mapped_column(String(16), default=FollowUpStatus.OPEN.value)
    followup_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    followup_at: Mapped[datetime | None]
