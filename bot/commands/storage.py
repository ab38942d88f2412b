"""How a command reaches the database: through the composition root, as the bot does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.settings import Settings
from bot.storage.unit import Transactions


@contextmanager
def command_transactions(settings: Settings, *, reading: bool = False) -> Iterator[Transactions]:
    """Open the configured database (checked to be current) for one command; close it after.

    `reading` is for commands that only read, however long (exports, reports): on SQLite
    they never take the write lock the bot needs, and on PostgreSQL every query of one
    read sees the same snapshot, without blocking the bot.
    """
    from bot.commands.db import opened

    with opened(settings, reading=reading) as system:
        yield system.transactions
