"""The bot username that schools' parent and staff links are made with."""

from __future__ import annotations

from bot.schools.links import USERNAME_UNKNOWN, deep_link
from bot.storage.unit import UnitOfWork


def bot_username(uow: UnitOfWork, configured: str) -> str:
    """Return TELEGRAM_BOT_USERNAME when set, else the username the bot learned at start."""
    return configured or uow.schools.link_username() or ""


def username_problem(username: str) -> str | None:
    """Say what is wrong with the bot's username for making links, if anything."""
    if not username:
        return USERNAME_UNKNOWN
    try:
        deep_link(username, "check")
    except ValueError:
        return (
            f"TELEGRAM_BOT_USERNAME {username!r} is not a Telegram bot username: set it to "
            "the bot's username as BotFather gave it, such as OuderbrugBot."
        )
    return None
