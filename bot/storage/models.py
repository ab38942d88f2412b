"""The tables, as SQLAlchemy 2 typed models. Alembic migrations in migrations/ create them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.clock import PROCESS

# Weekdays at half past three, after school, in Europe/Amsterdam.
DEFAULT_SCHEDULE = "mon-fri 15:30"


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return PROCESS.now()


class Base(DeclarativeBase):
    """The declarative base of every table."""

    # Named constraints, so migrations can drop and change them on every database.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )

    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dict[str, Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class School(Base):
    """One school location (vestiging), by its DUO code."""

    __tablename__ = "schools"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    house_number: Mapped[str | None] = mapped_column(String(20))
    postcode: Mapped[str | None] = mapped_column(String(10))
    town: Mapped[str | None] = mapped_column(String(100))
    municipality: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(2))
    # The secret in the staff invite link; a new one revokes the old link.
    staff_token: Mapped[str] = mapped_column(String(64), unique=True)
    # When the school gets its digest: days and times in Europe/Amsterdam ("mon-fri 15:30").
    digest_schedule: Mapped[str] = mapped_column(String(100), default=DEFAULT_SCHEDULE)
    # The language staff read the digest in; parents' free text is translated into it.
    digest_language: Mapped[str] = mapped_column(String(8), default="nl")
    # Addresses the digest is e-mailed to, set by the coordinator (DUO publishes none).
    digest_emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The next scheduled digest time; None until the scheduler first looks at the school.
    digest_due_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


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
    # Set when Telegram says the parent blocked the bot; nothing is sent then.
    blocked_at: Mapped[datetime | None]
    # Set by /stop: no reminders for unfinished questions are sent then.
    reminders_off_at: Mapped[datetime | None]
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


class ParentSession(Base):
    """One parent's way through one flow, for one child."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_parent_status", "parent_id", "status"),)

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

    parent: Mapped[Parent] = relationship(back_populates="sessions")


class Response(Base):
    """The answers of one finished session: one child at one school."""

    __tablename__ = "responses"
    __table_args__ = (Index("ix_responses_school_completed", "school_code", "completed_at"),)

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
    # The digest that brought this family to its school: set once, in the digest's own
    # transaction, so every response is in exactly one digest.
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("digests.id", ondelete="SET NULL"), index=True
    )
    # When a digest last listed the family (new, or again under "still open").
    listed_at: Mapped[datetime | None]
    # The school's follow-up: open, contacted or helped; who set it and when.
    followup_status: Mapped[str] = mapped_column(String(16), default="open")
    followup_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    followup_at: Mapped[datetime | None]


class Staff(Base):
    """A school's staff member who receives its families, by Telegram account."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("school_code", "telegram_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_code: Mapped[str] = mapped_column(ForeignKey("schools.code"), index=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # The name Telegram shows, so a coordinator can tell staff apart in `staff list`.
    name: Mapped[str] = mapped_column(String(200), default="")
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    # Telegram refused to deliver to this chat (the bot was blocked): nothing is sent there.
    inactive_at: Mapped[datetime | None]


class ProcessedUpdate(Base):
    """A Telegram update that took effect, recorded in the same transaction as its effect."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class OutboxMessage(Base):
    """A message to send, stored with the change that caused it so a crash cannot lose it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_unsent", "sent_at", "id"),)

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


class StoredSetting(Base):
    """A value the installation learned while running (the bot's username from Telegram).

    Settings the operator chooses stay in the environment; these are remembered so that
    a command run later, without asking Telegram, knows them too.
    """

    __tablename__ = "stored_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


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
