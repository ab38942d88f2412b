"""Values the installation remembers in its database, by key."""

from __future__ import annotations

from typing import Final

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from bot.storage.models import StoredSetting, utcnow

# The bot's @username (without the @), as Telegram's getMe gave it at the last start.
BOT_USERNAME: Final = "telegram_bot_username"


def recall(db: Session, key: str) -> str | None:
    """Return the value stored under key, or None when there is none."""
    row = db.get(StoredSetting, key)
    return row.value if row is not None else None


def remember(db: Session, key: str, value: str) -> None:
    """Store value under key, replacing what was there.

    One upsert: webhook workers start together and each stores the username; a read
    followed by an insert would let two of them insert and one fail its start.
    """
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    statement = insert(StoredSetting).values(key=key, value=value, updated_at=now)
    db.execute(
        statement.on_conflict_do_update(
            index_elements=[StoredSetting.key], set_={"value": value, "updated_at": now}
        )
    )
    # The session may hold the row from an earlier read: let the next read see this value.
    if (held := db.identity_map.get(identity_key(StoredSetting, key))) is not None:
        db.expire(held)
