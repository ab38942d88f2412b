"""Bring a database to the latest schema with Alembic, from the package itself (no alembic.ini)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from bot.storage.db import make_engine

# Beside this module, so an installed package migrates from any working directory.
MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
# Any fixed 64-bit number works; this one spells "ouderbrg", so it is recognisable in pg_locks.
_ADVISORY_LOCK = 0x6F75646572627267


class DatabaseNotReadyError(RuntimeError):
    """The database's schema is not the one this version of the code expects."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic configuration for the package's migrations, bound to a connection."""
    config = Config()
    # Config options go through configparser, which treats % as interpolation.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade(url: str) -> None:
    """Upgrade the database at url to the latest schema; safe when several processes race."""
    engine = make_engine(url)
    try:
        # One transaction for the lock and every migration: PostgreSQL and SQLite both
        # roll DDL back, so a failed upgrade leaves the schema as it was.
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # The second process waits here, then finds the schema at head and does nothing.
                # (On SQLite, make_engine's BEGIN IMMEDIATE already serializes writers.)
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK}
                )
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()


@cache
def head_revisions() -> frozenset[str]:
    """Return the revision(s) the latest schema has."""
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


def current_revisions(connection: Connection) -> frozenset[str]:
    """Return the revision(s) the database's schema is at; empty when never migrated."""
    return frozenset(MigrationContext.configure(connection).get_current_heads())


def check_current(connection: Connection) -> None:
    """Raise DatabaseNotReadyError unless the database's schema is at the latest revision."""
    current = current_revisions(connection)
    if current == head_revisions():
        return
    if not current:
        raise DatabaseNotReadyError(
            "The database has no tables yet: run `ouderbrug db upgrade` first."
        )
    if current - set(_known_revisions()):
        raise DatabaseNotReadyError(
            "The database was upgraded by a newer version of Ouderbrug than this one: "
            "update this installation before using it."
        )
    raise DatabaseNotReadyError("The database's schema is out of date: run `ouderbrug db upgrade`.")


def _known_revisions() -> list[str]:
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    return [script.revision for script in scripts.walk_revisions()]
