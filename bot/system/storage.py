"""The database the system works on: the cheapest part, and the one every command needs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine as Database
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.storage.db import make_engine, readonly, session_factory
from bot.storage.unit import Transactions


@dataclass(frozen=True, slots=True)
class Storage:
    """One database: its engine, its sessions and the transactions use cases run in."""

    database: Database
    sessions: sessionmaker[Session]
    transactions: Transactions

    @classmethod
    def on(cls, sessions: sessionmaker[Session]) -> Storage:
        """Return the storage around sessions someone else opened (a test's database)."""
        database = sessions.kw["bind"]
        assert isinstance(database, Database)
        return cls(database, sessions, Transactions(sessions))

    def close(self) -> None:
        """Close the connections in the pool."""
        self.database.dispose()


def storage(settings: Settings, *, reading: bool = False) -> Storage:
    """Return the configured database's storage; nothing connects until it is used.

    `reading` is for work that only reads (a preview, a report, an export): on SQLite it
    never takes the write lock the running bot needs, and on PostgreSQL every query of one
    read sees the same snapshot, without blocking the bot.
    """
    database = make_engine(settings.database)
    if reading and database.dialect.name == "postgresql":
        database = database.execution_options(isolation_level="REPEATABLE READ")
    return Storage.on(session_factory(readonly(database) if reading else database))
