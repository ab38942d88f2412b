"""Values the installation remembers in its database, by key."""

from __future__ import annotations

from typing import Final

from sqlalchemy.orm import Session

from bot.storage.models import StoredSetting

# The bot's @username (without the @), as Telegram's getMe gave it at the last start.
BOT_USERNAME: Final = "telegram_bot_username"


def recall(db: Session, key: str) -> str | None:
    """Return the value stored under key, or None when there is none."""
    row = db.get(StoredSetting, key)
    return row.value if row is not None else None


def remember(db: Session, key: str, value: str) -> None:
    """Store value under key, replacing what was there."""
    row = db.get(StoredSetting, key)
    if row is None:
        db.add(StoredSetting(key=key, value=value))
    elif row.value != value:
        row.value = value
