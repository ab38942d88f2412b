"""Shared fixtures: a migrated, per-test database on SQLite and on PostgreSQL.

Fixtures for any test that needs storage (keep these names, other tests use them):

- ``database_url``: the URL of an empty database at the latest migration, private to
  the test. Parametrized: ``[sqlite]`` is a file under the test's tmp_path (a copy of a
  template migrated once per run with ``bot.storage.migrate.upgrade``);
  ``[postgresql]`` is a fresh schema in the database named by ``TEST_DATABASE_URL``
  (e.g. ``postgresql://postgres@127.0.0.1:5432/test``), migrated with ``upgrade``, reached
  through ``search_path`` in the URL and dropped after the test. The PostgreSQL case is
  skipped, with the reason, when the variable is unset or the server does not answer.
  Pass the URL on as ``DATABASE_URL`` (``monkeypatch.setenv``) to test commands.
- ``empty_database_url``: the same, parametrized alike, but never migrated: no tables,
  for tests of migrations themselves.
- ``engine``: ``bot.storage.db.make_engine(database_url)``, disposed after the test.
- ``sessions``: ``bot.storage.db.session_factory(engine)``, a ``sessionmaker``.
- ``ouderbrug``: runs ``bot.cli.main(args)`` in-process against ``database_url`` and
  returns a ``CliResult`` (code, out, err). It works in tmp_path, so no developer's .env
  is read, with ``DATABASE_URL`` set and ``TELEGRAM_BOT_USERNAME`` unset; set more with
  ``monkeypatch.setenv`` before calling it.

Select one backend with ``-k sqlite`` or ``-k postgresql``.
"""

from __future__ import annotations

import os

# PTB 22 warns when it builds durations as integers; with filterwarnings = error that
# warning would replace the very RetryAfter the tests provoke. Timedeltas, as PTB 23 will.
os.environ.setdefault("PTB_TIMEDELTA", "true")
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.clock import PROCESS, SystemClock
from bot.settings import sqlite_url
from bot.storage.db import make_engine, session_factory
from bot.storage.migrate import upgrade

TEST_DATABASE_URL = "TEST_DATABASE_URL"
_SQLITE_NAME = "ouderbrug.sqlite3"


@pytest.fixture(autouse=True)
def _computer_clock() -> Iterator[None]:
    """Give every test the computer's clock back, whatever clock a system built before it."""
    yield
    PROCESS.use(SystemClock())


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate one SQLite file per run; each test gets a copy, which is much faster."""
    path = tmp_path_factory.mktemp("sqlite-template") / _SQLITE_NAME
    upgrade(sqlite_url(path))
    return path


@pytest.fixture(scope="session")
def _postgres_admin() -> Iterator[tuple[str, Engine]]:
    """Connect once to the PostgreSQL test database, or skip when there is none."""
    url = os.environ.get(TEST_DATABASE_URL, "")
    if not url:
        pytest.skip(f"{TEST_DATABASE_URL} is not set: set it to run the PostgreSQL tests")
    # Fail fast on an unreachable host rather than wait for the system's TCP timeout.
    probe = make_url(url).update_query_dict({"connect_timeout": "5"})
    engine = make_engine(probe.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        pytest.skip(f"PostgreSQL at {make_url(url)!r} is unreachable: {reason}")
    yield url, engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return the URL of a private database without any tables."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / _SQLITE_NAME)
        return
    base_url, admin = request.getfixturevalue("_postgres_admin")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # Unqualified names then resolve in the test's own schema only.
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def database_url(request: pytest.FixtureRequest, empty_database_url: str) -> str:
    """Return the URL of a private database at the latest migration."""
    if empty_database_url.startswith("sqlite"):
        # Copying a migrated file is much faster than migrating each test's own.
        template: Path = request.getfixturevalue("_sqlite_template")
        shutil.copyfile(template, make_url(empty_database_url).database or "")
    else:
        upgrade(empty_database_url)
    return empty_database_url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """Return an engine on the test's database, disposed afterwards."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Return a factory of ORM sessions on the test's database."""
    return session_factory(engine)


@dataclass(frozen=True, slots=True)
class CliResult:
    """What one run of the command line did."""

    code: int
    out: str
    err: str


@pytest.fixture
def ouderbrug(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., CliResult]:
    """Return a function that runs `ouderbrug ARGS...` against the test's database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def argos_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build tiny random-weight .argosmodel files once per run: ar↔en, en↔nl, nl→en, en→ar.

    Keys are "ar-en" and so on. One sentencepiece model serves them all: training it is
    the slow part (about a second).
    """
    from tests.fakes.argosmodel import build_package, train_sentencepiece

    folder = tmp_path_factory.mktemp("argos-files")
    pieces = train_sentencepiece(250)
    pairs = [("ar", "en"), ("en", "nl"), ("nl", "en"), ("en", "ar")]
    return {
        f"{source}-{target}": build_package(
            source, target, folder, sentencepiece_model=pieces, seed=seed
        )
        for seed, (source, target) in enumerate(pairs, start=1)
    }


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Refuse every connection that leaves this machine; return the refused addresses."""
    import socket

    refused: list[object] = []
    connect = socket.socket.connect
    getaddrinfo = socket.getaddrinfo
    local = ("127.0.0.1", "::1", "localhost")

    def guarded_connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in local:
            refused.append(address)
            raise ConnectionRefusedError(f"the network is blocked in this test: {address}")
        connect(sock, address)  # type: ignore[arg-type]

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host not in (*local, None):
            refused.append(host)
            raise socket.gaierror(f"the network is blocked in this test: {host}")
        return getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return refused
