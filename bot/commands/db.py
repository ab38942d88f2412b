"""`ouderbrug db`: bring the database to the latest schema, back it up, restore a backup."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.clock import Clock
    from bot.system.build import System

NAME = "db"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its actions."""
    db = commands.add_parser(NAME, help="manage the database")
    actions = db.add_subparsers(dest="db_command", required=True)
    actions.add_parser("upgrade", help="create or update the tables (DATABASE_URL)")
    backup = actions.add_parser(
        "backup",
        help="write a backup of the database to a new file (SQLite: while the bot runs; "
        "PostgreSQL: with pg_dump)",
    )
    backup.add_argument("file", type=Path, help="the backup file to write; must not exist")
    restore = actions.add_parser(
        "restore", help="restore a backup into the database (stop the bot first)"
    )
    restore.add_argument("file", type=Path, help="a file `ouderbrug db backup` wrote")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace what the database holds now (needed unless it is empty)",
    )


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Upgrade, back up or restore the database; return the exit code."""
    from bot.storage.backup import BackupError

    try:
        if arguments.db_command == "backup":
            return _backup(settings.database, arguments.file)
        if arguments.db_command == "restore":
            return _restore(settings.database, arguments.file, replace=arguments.replace)
        return _upgrade(settings.database)
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1
    except OperationalError as error:
        print(
            f"Cannot open the database {describe(settings.database)}: {_reason(error)}",
            file=sys.stderr,
        )
        return 1


def _upgrade(url: str) -> int:
    """Upgrade the database to the latest schema."""
    from bot.storage.migrate import head_revisions, upgrade

    upgrade(url)
    print(f"The database {describe(url)} is at revision {', '.join(sorted(head_revisions()))}.")
    return 0


def _backup(url: str, file: Path) -> int:
    from bot.storage.backup import backup

    backup(url, file)
    print(f"Backed up {describe(url)} to {file} ({file.stat().st_size} bytes).")
    print("It holds parents' answers: keep it as safe as the database itself.")
    return 0


def _restore(url: str, file: Path, *, replace: bool) -> int:
    from bot.storage.backup import restore
    from bot.storage.migrate import head_revisions, upgrade

    restore(url, file, replace=replace)
    # A backup made by an older version is brought to this version's schema.
    upgrade(url)
    print(
        f"Restored {file} into {describe(url)}, now at revision "
        f"{', '.join(sorted(head_revisions()))}."
    )
    return 0


@contextmanager
def database(settings: Settings) -> Iterator[Engine]:
    """Open the configured database, checked to be at the latest schema; dispose it after."""
    with opened(settings) as system:
        yield system.storage.database


@contextmanager
def opened(
    settings: Settings, clock: Clock | None = None, *, reading: bool = False
) -> Iterator[System]:
    """Build the system on the configured database, checked to be at the latest schema.

    The entry for commands: `with opened(settings) as system:` and then
    `system.transactions.begin()`, `system.digests`... The database is closed after.
    `reading` opens it for reading only (see bot.system.storage.storage).
    """
    from bot.storage.migrate import DatabaseNotReadyError, check_current
    from bot.system.build import build_system
    from bot.system.storage import storage

    system = build_system(settings, clock=clock, storage=storage(settings, reading=reading))
    try:
        try:
            with system.storage.database.connect() as connection:
                check_current(connection)
        except OperationalError as error:
            raise DatabaseNotReadyError(
                f"Cannot open the database {describe(settings.database)}: {_reason(error)}"
            ) from None
        yield system
    finally:
        system.storage.close()


def describe(url: str) -> str:
    """Name a database URL for a message, without its password."""
    return make_url(url).render_as_string(hide_password=True)


def _reason(error: OperationalError) -> str:
    # The driver's own first line says what failed (refused, unknown host...); the rest is noise.
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)
