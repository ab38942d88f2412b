"""Back up and restore the database: SQLite by its online backup API, PostgreSQL by pg_dump.

A backup holds parents' answers: keep it as safe as the database itself.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Final

from sqlalchemy import URL, inspect, make_url

from bot.storage.db import make_engine
from bot.storage.migrate import MIGRATIONS_DIR

# How SQLite's files and pg_dump's custom format begin.
_SQLITE_MAGIC: Final = b"SQLite format 3\x00"
_PG_DUMP_MAGIC: Final = b"PGDMP"
# Pages copied per step of SQLite's backup: the bot may write between steps.
_PAGES_PER_STEP: Final = 1024
PG_TOOLS_MISSING: Final = (
    "{tool} is not on PATH: install the PostgreSQL client tools of the server's version "
    "(Debian and Ubuntu: apt install postgresql-client), or use them where they are: "
    "`pg_dump --format=custom --file FILE DATABASE` to back up, "
    "`pg_restore --no-owner --dbname DATABASE FILE` to restore."
)


class BackupError(RuntimeError):
    """A backup or restore that could not be made; the message says why and what to do."""


def backup(url: str, target: Path) -> None:
    """Write a backup of the database at url to target, which must not exist yet."""
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name for the backup.")
    partial = target.with_name(target.name + ".partial")
    try:
        _create_owner_only(partial, target)
        if _is_sqlite(url):
            _sqlite_backup(_sqlite_path(url), partial)
        else:
            _pg_dump(make_url(url), partial)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)


def _create_owner_only(partial: Path, target: Path) -> None:
    """Create the file a backup is written to, readable by its owner only, as an export is."""
    try:
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise BackupError(f"Cannot write {target}: {error.strerror}.") from None
    try:
        # A file left by a killed backup keeps its own mode otherwise.
        os.fchmod(handle, 0o600)
    finally:
        os.close(handle)


def restore(url: str, source: Path, *, replace: bool) -> None:
    """Restore a backup into the database at url; an Ouderbrug database only with replace."""
    if not source.is_file():
        raise BackupError(f"There is no backup file {source}.")
    if not replace and holds_ouderbrug(url):
        raise BackupError(
            "The database already holds Ouderbrug's tables: restoring replaces everything in "
            "it. Stop the bot, then run this again with --replace."
        )
    _refuse_other_kind(source, sqlite=_is_sqlite(url))
    if _is_sqlite(url):
        _sqlite_restore(source, _sqlite_path(url))
    else:
        _pg_restore(source, make_url(url), clean=replace)


def _refuse_other_kind(source: Path, *, sqlite: bool) -> None:
    """Name a backup of the other kind of database, which neither restore could say."""
    try:
        with source.open("rb") as file:
            start = file.read(len(_SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"Cannot read {source}: {error.strerror or error}.") from None
    made = None
    if start == _SQLITE_MAGIC:
        made = "SQLite"
    elif start.startswith(_PG_DUMP_MAGIC):
        made = "PostgreSQL"
    here = "SQLite" if sqlite else "PostgreSQL"
    if made is not None and made != here:
        raise BackupError(
            f"{source} is a {made} backup and this database is {here}; restore it into "
            f"{made} (set DATABASE_URL)."
        )


def holds_ouderbrug(url: str) -> bool:
    """Tell whether the database has been migrated by Ouderbrug (has its version table)."""
    if _is_sqlite(url) and not _sqlite_path(url).exists():
        return False
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return inspect(connection).has_table("alembic_version")
    finally:
        engine.dispose()


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _sqlite_backup(source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page; writers may go on meanwhile."""
    if not source.exists():
        raise BackupError(f"There is no database at {source} to back up.")
    with closing(_sqlite_connect(source)) as live, closing(_sqlite_connect(target)) as copy:
        _check_sqlite(live, source)
        live.backup(copy, pages=_PAGES_PER_STEP)
        # One self-contained file, whatever journal the live database keeps.
        copy.execute("PRAGMA journal_mode=DELETE")


def _sqlite_restore(source: Path, target: Path) -> None:
    """Copy a backup into the database file, through SQLite so its WAL stays consistent."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(_sqlite_connect(source)) as copy:
        _check_sqlite(copy, source)
        with closing(_sqlite_connect(target)) as live:
            copy.backup(live)


def _sqlite_connect(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(path)
    except sqlite3.Error as error:
        raise BackupError(f"Cannot open {path}: {error}.") from None


def _check_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not an Ouderbrug SQLite database this version can read."""
    try:
        revisions = {
            row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
        }
    except sqlite3.DatabaseError:
        raise BackupError(f"{path} is not an Ouderbrug SQLite database.") from None
    if revisions - known_revisions():
        raise BackupError(
            f"{path} was made by a newer version of Ouderbrug than this one: update this "
            "installation before restoring it."
        )


def known_revisions() -> frozenset[str]:
    """Return every schema revision this version's migrations know."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    return frozenset(script.revision for script in scripts.walk_revisions())


def _pg_dump(url: URL, target: Path) -> None:
    arguments = ["--format=custom", "--no-owner", f"--file={target}"]
    schema = _search_path_schema(url)
    if schema:
        arguments.append(f"--schema={schema}")
    _run_pg_tool("pg_dump", [*arguments, _libpq_uri(url)], url)


def _pg_restore(source: Path, url: URL, *, clean: bool) -> None:
    arguments = ["--no-owner", "--exit-on-error", "--single-transaction"]
    if clean:
        arguments += ["--clean", "--if-exists"]
    _run_pg_tool("pg_restore", [*arguments, f"--dbname={_libpq_uri(url)}", str(source)], url)


def _run_pg_tool(tool: str, arguments: list[str], url: URL) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(PG_TOOLS_MISSING.format(tool=tool))
    environment = dict(os.environ)
    # The password goes by environment, never on a command line that `ps` shows.
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    done = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [program, *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        # The first line says what failed ("pg_dump: error: connection ... refused");
        # indented hints and the failed command follow it.
        said = done.stderr.strip().splitlines()
        reason = said[0].removeprefix(f"{tool}: error: ") if said else f"exit {done.returncode}"
        raise BackupError(f"{tool} failed: {reason}")


def _libpq_uri(url: URL) -> str:
    """Return the URL as libpq reads it: no driver name, no password."""
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False)


def _search_path_schema(url: URL) -> str | None:
    """Return the schema an `options=-csearch_path=NAME` URL keeps its tables in, if any."""
    options = url.query.get("options", "")
    for option in (options,) if isinstance(options, str) else options:
        for part in option.split():
            name = part.removeprefix("-c").removeprefix("search_path=")
            if part.startswith("-csearch_path=") and name and "," not in name:
                return name
    return None
