"""The coordinators' overview with every primary school and 300,000 responses: prints p50/p95.

Run: python bench/dashboard.py [--database sqlite|postgresql|both] [--responses N]
     [--views N] [--schools-file CSV] [--pupils-file CSV]
(the national lists lie beside the project, in ../shared/data/duo/, as for the tests;
PostgreSQL is TEST_DATABASE_URL's server, in a database of the benchmark's own)
Target (issue: web dashboard): all 6,122 primary schools of the 2026 DUO list and 300,000
responses, the overview served over HTTP in under 1 s at p95, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

# bench/bot.py sits beside this script and would shadow the `bot` package: look in
# the project folder first.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from sqlalchemy import create_engine, insert, make_url, text  # noqa: E402

from bot.clock import SystemClock  # noqa: E402
from bot.dashboard.app import configured_dashboard, standalone  # noqa: E402
from bot.digests.needs import NEEDS  # noqa: E402
from bot.flowfiles.registry import FlowRegistry  # noqa: E402
from bot.i18n.localizer import Localizers  # noqa: E402
from bot.schools.duo import read_duo  # noqa: E402
from bot.schools.duo.pupils import read_pupils  # noqa: E402
from bot.settings import PROJECT_DIR, Settings, sqlite_url  # noqa: E402
from bot.storage.db import make_engine, session_factory  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.storage.models import (  # noqa: E402
    Parent,
    ParentSession,
    Response,
    ResponseNeed,
    School,
    SignInLink,
)
from bot.storage.unit import Transactions  # noqa: E402

DUO = PROJECT_DIR.parent / "shared" / "data" / "duo"
SCHOOLS_FILE = DUO / "alle-schoolvestigingen-basisonderwijs-2026.csv"
PUPILS_FILE = DUO / "historisch-overzicht-aantal-leerlingen-per-schoolvestiging.csv"
LANGUAGES = ("nl", "nl", "nl", "ar", "tr", "pl", "uk", "en")
STATES = ("open", "open", "contacted", "helped")
STEPS = ("grade", "devices", "internet", "help_at_home", "help_wanted", "contact", "phone")
COORDINATOR = 1
CHUNK = 5000


def fill(url: str, responses: int, schools_file: Path, pupils_file: Path, seed: int) -> str:
    """Fill a migrated database with every school and the responses; return the revision."""
    rng = random.Random(seed)
    schools = read_duo(schools_file)
    pupils = {c.code: c for c in read_pupils(pupils_file)} if pupils_file.is_file() else {}
    engine = make_engine(url)
    registry = FlowRegistry(
        Transactions(session_factory(engine)), PROJECT_DIR / "flows", PROJECT_DIR / "locales"
    )
    registry.reload()
    revision = next(flow.revision for flow in registry.all() if flow.id == "thuissituatie")
    rows = [
        {
            "code": s.code,
            "name": s.name,
            "town": s.town,
            "municipality": s.municipality,
            "staff_token": hashlib.sha256(s.code.encode()).hexdigest()[:40],
            "pupils": pupils[s.code].pupils if s.code in pupils else None,
            "pupils_year": 2025,
        }
        for s in schools
    ]
    # A fifth of the schools have reached nobody yet.
    reached = [s.code for s in schools if rng.random() > 0.2]
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(insert(School), rows)
        for start in range(0, responses, CHUNK):
            ids = range(start + 1, min(start + CHUNK, responses) + 1)
            _families(connection, ids, reached, revision, now, rng)
        unfinished = responses // 5
        sessions: list[dict[str, object]] = [
            {
                "id": responses + n,
                "parent_id": 1 + n % responses,
                "flow_id": "thuissituatie",
                "flow_revision": revision,
                "state": {},
                "status": "active" if n % 7 else "declined",
                "child_number": 2,
                "at_step": rng.choice(STEPS) if n % 7 else None,
            }
            for n in range(1, unfinished + 1)
        ]
        for start in range(0, len(sessions), CHUNK):
            connection.execute(insert(ParentSession), sessions[start : start + CHUNK])
    engine.dispose()
    return revision


def _families(
    connection: object,
    ids: range,
    reached: list[str],
    revision: str,
    now: datetime,
    rng: random.Random,
) -> None:
    """Insert one chunk of parents, their finished sessions, responses and needs."""
    execute = connection.execute  # type: ignore[attr-defined]
    execute(insert(Parent), [{"id": i, "telegram_user_id": 10**9 + i, "chat_id": i} for i in ids])
    common = {"flow_id": "thuissituatie", "flow_revision": revision, "child_number": 1}
    execute(
        insert(ParentSession),
        [{"id": i, "parent_id": i, "state": {}, "status": "completed", **common} for i in ids],
    )
    responses, needs = [], []
    for i in ids:
        school = rng.choice(reached) if rng.random() > 0.02 else None
        responses.append(
            {
                "id": i,
                "parent_id": i,
                "session_id": i,
                "school_code": school,
                "flow_version": 1,
                "language": rng.choice(LANGUAGES),
                "answers": {"consent": "yes"},
                "completed_at": now - timedelta(minutes=rng.randrange(60 * 24 * 60)),
                "followup_status": rng.choice(STATES),
                **common,
            }
        )
        for need in NEEDS:
            if rng.random() < 0.25:
                needs.append({"response_id": i, "need": need, "school_code": school})
    execute(insert(Response), responses)
    execute(insert(ResponseNeed), needs)


@contextmanager
def serving(url: str) -> Iterator[str]:
    """Serve the dashboard on this database over HTTP; yield its base URL."""
    settings = Settings(_env_file=None, database_url=url, coordinator_ids=[COORDINATOR])  # type: ignore[call-arg]
    engine = make_engine(url)
    transactions = Transactions(session_factory(engine))
    registry = FlowRegistry(transactions, settings.flows_dir, settings.locales_dir)
    registry.reload()
    app = configured_dashboard(
        settings, transactions, SystemClock(), registry, Localizers(settings.locales_dir)
    )
    config = uvicorn.Config(standalone(app), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        engine.dispose()


def measure(url: str, views: int) -> None:
    """Sign a coordinator in, view the overview and a school page; print the figures."""
    secret = "bench-sign-in-secret"
    engine = make_engine(url)
    with engine.begin() as connection:
        now = datetime.now(UTC)
        connection.execute(
            insert(SignInLink),
            [
                {
                    "token_hash": hashlib.sha256(secret.encode()).hexdigest(),
                    "telegram_user_id": COORDINATOR,
                    "created_at": now,
                    "expires_at": now + timedelta(minutes=10),
                }
            ],
        )
        school = connection.execute(
            text("SELECT school_code FROM responses WHERE school_code IS NOT NULL LIMIT 1")
        ).scalar_one()
    engine.dispose()
    with serving(url) as base, httpx.Client(base_url=base, timeout=120) as client:
        client.post(f"/dashboard/signin/{secret}")
        # The first view after a start makes the counts every later view takes (and a
        # view older than DASHBOARD_REFRESH_SECONDS starts the same count behind it).
        start = time.perf_counter()
        assert client.get("/dashboard/").status_code == 200
        print(f"  first view after start (counting): {(time.perf_counter() - start) * 1000:.0f} ms")
        for name, path in (
            ("overview", "/dashboard/"),
            ("school page", f"/dashboard/school/{school}"),
        ):
            timings = []
            for _ in range(views):
                start = time.perf_counter()
                answer = client.get(path)
                timings.append(time.perf_counter() - start)
                assert answer.status_code == 200, answer.text[:300]
            p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
            print(
                f"  {name}: p50 {statistics.median(timings) * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms over {views} views ({len(answer.content) // 1024} KB)"
            )


@contextmanager
def database(kind: str) -> Iterator[str]:
    """Yield the URL of an empty database of the benchmark's own; remove it afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield sqlite_url(Path(folder) / "bench.sqlite3")
        return
    base = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"ouderbrug_bench_dashboard_{os.getpid()}"
    admin = create_engine(
        make_url(base).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    """Fill each database, then time the overview; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--responses", type=int, default=300_000)
    parser.add_argument("--views", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--schools-file", type=Path, default=SCHOOLS_FILE)
    parser.add_argument("--pupils-file", type=Path, default=PUPILS_FILE)
    arguments = parser.parse_args()
    if not arguments.schools_file.is_file():
        parser.error(f"no DUO list at {arguments.schools_file}; give one with --schools-file")
    kinds = ("sqlite", "postgresql") if arguments.database == "both" else (arguments.database,)
    for kind in kinds:
        with database(kind) as url:
            upgrade(url)
            start = time.perf_counter()
            fill(
                url,
                arguments.responses,
                arguments.schools_file,
                arguments.pupils_file,
                arguments.seed,
            )
            filled = time.perf_counter() - start
            print(f"{kind}: {arguments.responses:,} responses filled in {filled:.0f} s")
            measure(url, arguments.views)


if __name__ == "__main__":
    main()
