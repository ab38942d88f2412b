"""Migrations: the Alembic revisions build exactly the tables of bot.storage.models."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.storage.db import make_engine
from bot.storage.migrate import (
    DatabaseNotReadyError,
    alembic_config,
    check_current,
    current_revisions,
    head_revisions,
    upgrade,
)
from bot.storage.models import (
    Base,
    FlowVersion,
    OutboxFamily,
    OutboxMessage,
    Parent,
    ParentSession,
    Response,
    School,
)

PROJECT = Path(__file__).resolve().parents[2]


def schema_differences(url: str) -> list[object]:
    """Return what Alembic's autogenerate would change to make the database match the models."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_upgrade_builds_exactly_the_models_tables(empty_database_url: str) -> None:
    upgrade(empty_database_url)

    assert schema_differences(empty_database_url) == []


def test_the_tables_are_the_models_tables(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())

    assert tables == {*Base.metadata.tables, "alembic_version"}


def test_upgrading_again_changes_nothing_and_keeps_the_data(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        session.add(School(code="16AH00", name="Openbare Basisschool 't Eenspan", staff_token="t"))

    upgrade(database_url)
    upgrade(database_url)

    assert schema_differences(database_url) == []
    with engine.connect() as connection:
        assert current_revisions(connection) == head_revisions()
    with sessions() as session:
        assert session.scalars(select(School.code)).all() == ["16AH00"]


def test_the_latest_revision_downgrades_and_upgrades_cleanly(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()

    upgrade(database_url)

    assert schema_differences(database_url) == []


def test_check_current_refuses_a_database_that_was_never_migrated(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection, pytest.raises(DatabaseNotReadyError) as raised:
            check_current(connection)
    finally:
        engine.dispose()

    assert "ouderbrug db upgrade" in str(raised.value)


def test_check_current_accepts_a_migrated_database(engine: Engine) -> None:
    with engine.connect() as connection:
        check_current(connection)


_RACER = """
import sys, time
from pathlib import Path
from bot.storage.migrate import upgrade
url, ready, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
ready.touch()
while not go.exists():
    time.sleep(0.005)
upgrade(url)
"""


def test_two_processes_upgrading_at_once_both_succeed(
    empty_database_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(2)]
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, empty_database_url, str(flag), str(go)],
            cwd=PROJECT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for flag in ready
    ]
    # Release both only once both have imported everything, so they really race.
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = [(racer.wait(timeout=120), racer.stderr.read()) for racer in racers if racer.stderr]
    for racer in racers:
        if racer.stderr:
            racer.stderr.close()

    assert results == [(0, ""), (0, "")]
    assert schema_differences(empty_database_url) == []


def test_db_upgrade_command_migrates_the_configured_database(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)

    code = main(["db", "upgrade"])

    assert code == 0
    assert f"at revision {', '.join(sorted(head_revisions()))}" in capsys.readouterr().out
    assert schema_differences(empty_database_url) == []


def test_commands_on_an_unmigrated_database_say_to_upgrade_it(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)

    code = main(["schools", "list"])

    assert code == 1
    assert "run `ouderbrug db upgrade` first" in capsys.readouterr().err


def test_db_upgrade_reports_an_unreachable_server_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Port 9 (discard) on the loopback refuses at once: nothing listens there.
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:9/none")

    code = main(["db", "upgrade"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Cannot open the database postgresql://nobody:***@127.0.0.1:9/none")
    assert "secret" not in err


def test_downgrading_the_claim_numbers_keeps_the_links_from_messages_to_families(
    database_url: str, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as db:
        db.add(School(code="16AH00", name="De Regenboog", staff_token="t"))
        db.add(FlowVersion(revision="r1", flow_id="f", version=1, source=""))
        parent = Parent(telegram_user_id=501, chat_id=501)
        db.add(parent)
        db.flush()
        session = ParentSession(
            parent_id=parent.id, flow_id="f", flow_revision="r1", state={}, status="done"
        )
        db.add(session)
        db.flush()
        response = Response(
            parent_id=parent.id,
            session_id=session.id,
            school_code="16AH00",
            flow_id="f",
            flow_revision="r1",
            flow_version=1,
            language="nl",
            answers={},
        )
        message = OutboxMessage(chat_id=7, action="send", payload={"text": "x"}, attempts=0)
        db.add_all([response, message])
        db.flush()
        db.add(OutboxFamily(outbox_id=message.id, response_id=response.id))
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0005")
        with engine.connect() as connection:
            # Without them an erase would no longer find the unsent messages about a family.
            assert connection.execute(text("SELECT count(*) FROM outbox_families")).scalar() == 1
            assert connection.execute(text("SELECT count(*) FROM outbox")).scalar() == 1
    finally:
        engine.dispose()

    upgrade(database_url)

    assert schema_differences(database_url) == []
