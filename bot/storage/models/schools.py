"""Schools and the staff who receive their families."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow

# Weekdays at half past three, after school, in Europe/Amsterdam.
DEFAULT_SCHEDULE = "mon-fri 15:30"


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
    # The flow this school's parents start on; None: the installation's default flow.
    flow_id: Mapped[str | None] = mapped_column(String(64))
    # Pupils at the location by DUO's latest count (`schools import-pupils`), for coverage.
    pupils: Mapped[int | None]
    pupils_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


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
    # The name families see under this member's messages, asked once at joining.
    display_name: Mapped[str | None] = mapped_column(String(60))
    # What the member's next typed text is: their display name ("name"), or a message to
    # the family of this response ("family:<id>"), until `awaiting_since` is long past.
    awaiting: Mapped[str | None] = mapped_column(String(32))
    awaiting_since: Mapped[datetime | None]


class ParentLink(Base):
    """A parent link that carries a flow: its payload is this random token, never guessed."""

    __tablename__ = "parent_links"
    __table_args__ = (UniqueConstraint("school_code", "flow_id"),)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    school_code: Mapped[str] = mapped_column(ForeignKey("schools.code"))
    flow_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
