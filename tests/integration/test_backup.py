"""`ouderbrug db backup` and `db restore`: a restored backup serves the same families."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.demo.families import FIRST_SCHOOL
from bot.settings import sqlite_url
from bot.storage.db import make_engine, session_factory
from bot.storage.models import Parent
from tests.conftest import CliResult
from tests.integration.service_world import build_world
from tests.integration.test_desk import join

Cli = Callable[..., CliResult]


def parents(url: str) -> int:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as db:
            return int(db.scalar(select(func.count()).select_from(Parent)) or 0)
    finally:
        engine.dispose()


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """Return the URL of a second, empty database of the same kind: nothing migrated."""
    if database_url.startswith("sqlite"):
        yield sqlite_url(tmp_path / "restored" / "ouderbrug.sqlite3")
        return
    admin: Engine = request.getfixturevalue("_postgres_admin")[1]
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    # The same search_path as the backed-up database: the backup holds that schema.
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def test_a_restored_backup_serves_the_same_digest(
    ouderbrug: Cli, fresh_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ouderbrug("demo").code == 0
    before = ouderbrug("digest", "preview", FIRST_SCHOOL).out
    backup = tmp_path / "ouderbrug.backup"

    made = ouderbrug("db", "backup", str(backup))
    assert made.code == 0, made.err
    assert f"to {backup}" in made.out
    monkeypatch.setenv("DATABASE_URL", fresh_url)
    restored = ouderbrug("db", "restore", str(backup))

    assert restored.code == 0, restored.err
    assert "now at revision" in restored.out
    after = ouderbrug("digest", "preview", FIRST_SCHOOL)
    assert after.code == 0, after.err
    assert after.out == before
    assert "Taal van de ouder: Arabisch" in after.out


def test_restore_into_a_database_in_use_needs_replace_and_then_replaces_it(
    ouderbrug: Cli, database_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    ouderbrug("demo")
    backup = tmp_path / "ouderbrug.backup"
    ouderbrug("db", "backup", str(backup))
    join(build_world(sessions), 501, "16AH00")  # one more parent after the backup
    with_newcomer = parents(database_url)

    refused = ouderbrug("db", "restore", str(backup))

    assert refused.code == 1
    assert "run this again with --replace" in refused.err
    assert parents(database_url) == with_newcomer
    replaced = ouderbrug("db", "restore", str(backup), "--replace")
    assert replaced.code == 0, replaced.err
    assert parents(database_url) == with_newcomer - 1


def test_a_backup_never_overwrites_a_file(ouderbrug: Cli, tmp_path: Path) -> None:
    existing = tmp_path / "earlier.backup"
    existing.write_text("last week's backup")

    result = ouderbrug("db", "backup", str(existing))

    assert result.code == 1
    assert "exists already" in result.err
    assert existing.read_text() == "last week's backup"
    assert not (tmp_path / "earlier.backup.partial").exists()


def test_a_backup_is_readable_by_its_owner_only(ouderbrug: Cli, tmp_path: Path) -> None:
    # It holds parents' answers, as an export does, and an export is its owner's only.
    assert ouderbrug("demo").code == 0
    backup = tmp_path / "ouderbrug.backup"

    assert ouderbrug("db", "backup", str(backup)).code == 0

    assert backup.stat().st_mode & 0o777 == 0o600


def test_a_backup_into_a_missing_folder_says_so(ouderbrug: Cli, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "ouderbrug.backup"

    result = ouderbrug("db", "backup", str(target))

    assert (result.code, result.err) == (1, f"Cannot write {target}: No such file or directory.\n")


def test_restoring_a_missing_file_says_so(ouderbrug: Cli, tmp_path: Path) -> None:
    result = ouderbrug("db", "restore", str(tmp_path / "nothing.backup"))

    assert (result.code, result.err) == (1, f"There is no backup file {tmp_path}/nothing.backup.\n")


def test_restore_refuses_a_file_that_is_no_backup_without_a_traceback(
    ouderbrug: Cli, tmp_path: Path
) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n" * 100)

    result = ouderbrug("db", "restore", str(other), "--replace")

    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.strip()


def test_a_backup_of_the_other_kind_of_database_is_named_as_such(
    ouderbrug: Cli, database_url: str, tmp_path: Path
) -> None:
    # The first bytes of a file of the other kind: pg_dump's custom format, or SQLite's.
    sqlite = database_url.startswith("sqlite")
    other = tmp_path / "other.backup"
    other.write_bytes((b"PGDMP\x01\x0e" if sqlite else b"SQLite format 3\x00") + b"\x00" * 100)

    result = ouderbrug("db", "restore", str(other), "--replace")

    assert result.code == 1
    made, here = ("PostgreSQL", "SQLite") if sqlite else ("SQLite", "PostgreSQL")
    assert result.err == (
        f"{other} is a {made} backup and this database is {here}; restore it into {made} "
        "(set DATABASE_URL).\n"
    )


# SQLite only


@pytest.fixture
def sqlite_cli(
    ouderbrug: Cli, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Cli, Path]:
    """Return the command line on an SQLite file of the test's own."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's backup only")
    path = tmp_path / "data" / "ouderbrug.sqlite3"
    monkeypatch.setenv("DATABASE_URL", sqlite_url(path))
    return ouderbrug, path


def test_a_sqlite_backup_is_one_file_and_leaves_the_database_as_it_was(
    sqlite_cli: tuple[Cli, Path], tmp_path: Path
) -> None:
    ouderbrug, path = sqlite_cli
    ouderbrug("demo")
    backup = tmp_path / "copy.sqlite3"

    assert ouderbrug("db", "backup", str(backup)).code == 0

    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM parents").fetchone()[0] > 0
    assert not Path(f"{backup}-wal").exists()
    with sqlite3.connect(path) as live:
        assert live.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_backup_from_a_newer_version_is_refused(
    sqlite_cli: tuple[Cli, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ouderbrug, _ = sqlite_cli
    ouderbrug("demo")
    backup = tmp_path / "newer.sqlite3"
    ouderbrug("db", "backup", str(backup))
    with sqlite3.connect(backup) as copy:
        copy.execute("UPDATE alembic_version SET version_num = '9999'")
    monkeypatch.setenv("DATABASE_URL", sqlite_url(tmp_path / "fresh" / "ouderbrug.sqlite3"))

    result = ouderbrug("db", "restore", str(backup))

    assert result.code == 1
    assert "made by a newer version of Ouderbrug" in result.err


# PostgreSQL only


def test_without_pg_dump_the_backup_names_the_tools_to_install(
    ouderbrug: Cli, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's tools only")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    result = ouderbrug("db", "backup", str(tmp_path / "db.backup"))

    assert result.code == 1
    assert result.err.startswith("pg_dump is not on PATH: install the PostgreSQL client tools")
    assert "pg_dump --format=custom" in result.err


@pytest.fixture
def new_databases(request: pytest.FixtureRequest, database_url: str) -> Iterator[list[str]]:
    """Return the URLs of two new PostgreSQL databases, tables in their public schema."""
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's tools only")
    base, admin = request.getfixturevalue("_postgres_admin")
    names = [f"whole_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield [
        make_url(base).set(database=name).render_as_string(hide_password=False) for name in names
    ]
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def test_a_whole_postgresql_database_comes_back_in_another(
    ouderbrug: Cli, new_databases: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original, fresh = new_databases
    monkeypatch.setenv("DATABASE_URL", original)
    ouderbrug("demo")
    before = ouderbrug("digest", "preview", FIRST_SCHOOL).out
    backup = tmp_path / "whole.backup"
    assert ouderbrug("db", "backup", str(backup)).code == 0

    monkeypatch.setenv("DATABASE_URL", fresh)
    restored = ouderbrug("db", "restore", str(backup))

    assert restored.code == 0, restored.err
    assert ouderbrug("digest", "preview", FIRST_SCHOOL).out == before
    assert parents(fresh) == parents(original) > 0


def test_a_failed_pg_dump_says_what_failed(
    ouderbrug: Cli, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's tools only")
    nowhere = make_url(database_url).set(host="127.0.0.1", port=1)
    monkeypatch.setenv("DATABASE_URL", nowhere.render_as_string(hide_password=False))

    result = ouderbrug("db", "backup", str(tmp_path / "db.backup"))

    assert result.code == 1
    # pg_dump's own error line, not only the hint it prints after it.
    assert result.err.startswith("pg_dump failed: connection to server at")
    assert "Connection refused" in result.err
    assert "\t" not in result.err
