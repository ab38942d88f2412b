"""An update that fails the same way every time is dropped once; a busy database is retried."""

from __future__ import annotations

import logging
import sqlite3

import psycopg.errors
import pytest
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.i18n.localizer import Localizers
from bot.messages.incoming import ButtonPressed, Incoming, Typed
from bot.parents.conversation import Conversations
from bot.parents.effects import Effects
from bot.parents.turn import Turn
from bot.reception.reception import Reception
from bot.schools.catalog import SchoolCatalog
from bot.settings import PROJECT_DIR
from bot.staff.school_staff import SchoolStaff
from bot.storage.errors import is_transient
from bot.storage.unit import Transactions
from tests.integration.service_world import build_world

PARENT = 7001


class FailingConversations(Conversations):
    """The parents' side, failing on every update with the error it was given."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    def handle(self, turn: Turn) -> Effects:
        self.calls += 1
        raise self.error


def desk_failing_with(sessions: sessionmaker[Session], error: Exception) -> Reception:
    """Return the desk as the runtime wires it, around parents' handling that fails."""
    world = build_world(sessions)  # the schools and flows in the database
    schools = SchoolCatalog(sessions)
    staff = SchoolStaff(world.registry, schools, Localizers(PROJECT_DIR / "locales").get("nl"))
    return Reception(
        Transactions(sessions), FailingConversations(error), staff, frozenset(), reload_flows=str
    )


def arrived(update_id: int, action: Typed | ButtonPressed) -> Incoming:
    return Incoming(update_id, PARENT, PARENT, "nl", "Ouder", action)


def processed(sessions: sessionmaker[Session], update_id: int) -> bool:
    with Transactions(sessions).read() as uow:
        return uow.updates.seen(update_id)


def test_a_deterministic_failure_is_logged_once_and_recorded_as_processed(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    # What forged button data with a huge number did on SQLite, on every try.
    error = OverflowError("Python int too large to convert to SQLite INTEGER")
    desk = desk_failing_with(sessions, error)
    press = ButtonPressed("fu:c:99999999999999999999999:1", 5, "cb-1")
    with caplog.at_level(logging.INFO, logger="bot"):
        handled = desk.handle(arrived(501, press))
    assert handled.queued == []
    assert handled.popup is not None
    assert handled.popup.callback_id == "cb-1"
    assert processed(sessions, 501)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == ["update 501 dropped: OverflowError"]
    assert "99999" not in caplog.text
    # Delivered again (a webhook retry): a duplicate now, not a second failure.
    assert desk.handle(arrived(501, press)).popup is None


def test_a_deterministic_failure_in_a_batch_does_not_cost_the_others(
    sessions: sessionmaker[Session],
) -> None:
    desk = desk_failing_with(sessions, ValueError("a bug"))
    results = desk.handle_batch([arrived(601, Typed("a")), arrived(602, Typed("b"))])
    assert not any(isinstance(r, Exception) for r in results)
    assert processed(sessions, 601)
    assert processed(sessions, 602)


def test_a_busy_database_is_raised_for_a_retry_and_nothing_is_recorded(
    sessions: sessionmaker[Session],
) -> None:
    locked = OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))
    desk = desk_failing_with(sessions, locked)
    with pytest.raises(OperationalError):
        desk.handle(arrived(701, Typed("a")))
    assert not processed(sessions, 701)


def _wrapped(kind: type[Exception], orig: Exception, *, invalidated: bool = False) -> Exception:
    return kind("SELECT 1", {}, orig, connection_invalidated=invalidated)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(OperationalError, sqlite3.OperationalError("database is locked")),
        _wrapped(OperationalError, Exception("server closed the connection unexpectedly")),
        _wrapped(DataError, Exception("connection lost"), invalidated=True),
    ],
    ids=["locked", "connection lost", "invalidated"],
)
def test_transient_database_errors_are_retried(error: Exception) -> None:
    assert is_transient(error)


@pytest.mark.parametrize(
    "error",
    [
        OverflowError("int too large"),
        ValueError("bad data"),
        KeyError("x"),
        _wrapped(DataError, Exception("numeric value out of range")),
        _wrapped(IntegrityError, Exception("not null constraint")),
    ],
    ids=["overflow", "value", "key", "out of range", "integrity"],
)
def test_deterministic_errors_are_not_retried(error: Exception) -> None:
    assert not is_transient(error)


def _sqlite_error(sql: str) -> Exception:
    """Return the error SQLite itself raises for the statement, as SQLAlchemy wraps it."""
    try:
        sqlite3.connect(":memory:").execute(sql)
    except sqlite3.OperationalError as error:
        return OperationalError(sql, {}, error)
    raise AssertionError(f"{sql} did not fail")


@pytest.mark.parametrize(
    "error",
    [
        # SQLite reports a statement that can never run as an OperationalError too.
        _sqlite_error("SELECT no_such_column FROM sqlite_master"),
        _sqlite_error("SELECT * FROM no_such_table"),
        # PostgreSQL's program limits (an index row too large, a statement too complex).
        _wrapped(OperationalError, psycopg.errors.ProgramLimitExceeded("index row too big")),
    ],
    ids=["no such column", "no such table", "program limit"],
)
def test_operational_errors_that_repeat_every_time_are_not_retried(error: Exception) -> None:
    assert not is_transient(error)


def test_a_bug_sqlite_reports_as_operational_is_dropped_once_not_retried_forever(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    desk = desk_failing_with(sessions, _sqlite_error("SELECT * FROM no_such_table"))
    with caplog.at_level(logging.INFO, logger="bot"):
        handled = desk.handle(arrived(801, Typed("a")))
    assert handled.queued == []
    assert processed(sessions, 801)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == ["update 801 dropped: OperationalError"]
