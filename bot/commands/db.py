"""`ouderbrug db upgrade`: bring the database to the latest schema."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError

from bot.settings import Settings

NAME = "db"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its actions."""
    db = commands.add_parser(NAME, help="manage the database")
    actions = db.add_subparsers(dest="db_command", required=True)
    actions.add_parser("upgrade", help="create or update the tables (DATABASE_URL)")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the database to the latest schema."""
    from bot.storage.migrate import head_revisions, upgrade

    url = settings.database
    try:
        upgrade(url)
    except OperationalError as error:
        print(f"Cannot open the database {describe(url)}: {_reason(error)}", file=sys.stderr)
        return 1
    print(f"The database {describe(url)} is at revision {', '.join(sorted(head_revisions()))}.")
    return 0


@contextmanager
def database(settings: Settings) -> Iterator[Engine]:
    """Open the configured database, checked to be at the latest schema; dispose it after."""
    from bot.storage.db import make_engine
    from bot.storage.migrate import DatabaseNotReadyError, check_current

    engine = make_engine(settings.database)
    try:
        try:
            with engine.connect() as connection:
                check_current(connection)
        except OperationalError as error:
            raise DatabaseNotReadyError(
                f"Cannot open the database {describe(settings.database)}: {_reason(error)}"
            ) from None
        yield engine
    finally:
        engine.dispose()


def describe(url: str) -> str:
    """Name a database URL for a message, without its password."""
    return make_url(url).render_as_string(hide_password=True)


def _reason(error: OperationalError) -> str:
    # The driver's own first line says what failed (refused, unknown host...); the rest is noise.
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)
