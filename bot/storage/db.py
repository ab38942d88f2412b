"""The database engine: SQLite by default (a file under data/, WAL), PostgreSQL by URL."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

WAL_ATTEMPTS = 100


def make_engine(url: str) -> Engine:
    """Create an engine for a database URL, tuned for the bot's short transactions.

    Statement parameters are kept out of error messages: they hold parents' answers,
    and an error is logged.
    """
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we install; plain postgresql:// would ask for psycopg2.
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url, pool_size=10, max_overflow=10, pool_pre_ping=True, hide_parameters=True
    )


def _sqlite_pragmas(connection: Any, _record: object) -> None:
    # Let SQLAlchemy, not pysqlite, decide when a transaction begins (see "begin" above).
    connection.isolation_level = None
    cursor = connection.cursor()
    # First, so that switching a new file to WAL waits for another process's lock
    # instead of failing at once with "database is locked".
    cursor.execute("PRAGMA busy_timeout=30000")
    # WAL lets readers go on while one writer commits; NORMAL sync is durable in WAL
    # across application crashes, which is what "nothing lost" needs here.
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    # While another process switches a new file to WAL, SQLite can answer "database is
    # locked" at once, without the busy timeout: wait a moment and ask again.
    for attempt in range(WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if attempt == WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.1)


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the lock at BEGIN, so two of them queue instead of failing halfway;
    # readers (execution option readonly=True) begin deferred and never block the bot.
    readonly = connection.get_execution_options().get("readonly", False)
    connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def readonly(engine: Engine) -> Engine:
    """Return the engine for transactions that only read (long exports, reports)."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(readonly=True)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a factory of ORM sessions bound to the engine."""
    return sessionmaker(engine, expire_on_commit=False)
