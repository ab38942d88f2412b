"""A parent mid-flow when the flow file is edited and the bot restarts finishes on their revision.

Before definitions were stored, the restarted bot had only the new revision in memory and
read the parent's one inside the parent's own transaction through a second connection:
on SQLite that waited for the write lock its caller held, 90 s of "database is locked",
while the one database thread served nobody else.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.flowfiles import loader
from bot.settings import PROJECT_DIR
from bot.storage.db import make_engine, session_factory
from bot.storage.models import FlowVersion
from tests.e2e.harness import Parent, Settled, running_bot
from tests.e2e.test_parents import responses
from tests.fakes import FakeBotAPI

FLOW_FILE = "thuissituatie.yaml"
SHARED = "Moet uw kind dit apparaat delen"
# Far below the 30 s SQLite waits for a lock, and still roomy on a busy machine.
AT_ONCE = 1.0


def edit_the_flow(flows: Path) -> None:
    """Drop the question after the parent's one and raise the version, as a coordinator might."""
    path = flows / FLOW_FILE
    source = path.read_text(encoding="utf-8")
    start, end = source.index("  - id: device_shared"), source.index("  - id: internet")
    edited = source[:start] + source[end:]
    path.write_text(edited.replace("version: 2\n", "version: 3\n", 1), encoding="utf-8")


def spoil_the_stored_source(database_url: str, revision: str) -> None:
    """Leave the old revision with a source no parser could read."""
    engine = make_engine(database_url)
    try:
        with session_factory(engine).begin() as db:
            db.execute(
                update(FlowVersion)
                .where(FlowVersion.revision == revision)
                .values(source="steps: [this never parses")
            )
    finally:
        engine.dispose()


def refuse_yaml(*_args: object) -> None:
    raise AssertionError("a parent's update ran the YAML loader")


def test_after_an_edit_and_a_restart_the_parent_goes_on_at_once_on_their_revision(
    api: FakeBotAPI,
    database_url: str,
    settled: Settled,
    tmp_path: Path,
    environment: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(PROJECT_DIR / "flows", flows)
    environment = {**environment, "FLOWS_DIR": str(flows)}
    parent = Parent(api, settled, 811)

    async def before_the_edit() -> str:
        async with running_bot(environment) as runtime:
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            await parent.press("Ja, ik doe mee")
            await parent.press("Groep 6")
            current = runtime.system.registry.current("thuissituatie")
            assert current is not None
            return current.revision

    async def after_the_restart() -> tuple[str, float]:
        async with running_bot(environment) as runtime:
            current = runtime.system.registry.current("thuissituatie")
            assert current is not None
            # From here on, reading YAML can only be a parent's update doing it.
            monkeypatch.setattr(loader, "compose", refuse_yaml)
            started = time.monotonic()
            await parent.press("Tablet")
            took = time.monotonic() - started
            await parent.press("Klaar")
            assert SHARED in parent.last_text  # the question the edit dropped: their revision
            for label in ("Nee", "Goed", "Ja", "Overslaan", "Overslaan", "Via deze chat"):
                await parent.press(label)
            await parent.press("Alles klopt, versturen")
            return current.revision, took

    started_on = asyncio.run(before_the_edit())
    assert "Welke apparaten" in parent.last_text
    edit_the_flow(flows)
    spoil_the_stored_source(database_url, started_on)

    new_revision, took = asyncio.run(after_the_restart())

    assert new_revision != started_on
    assert took < AT_ONCE, f"the first answer after the restart took {took:.1f} s"
    [response] = responses(database_url)
    assert response.flow_revision == started_on
    assert response.flow_version == 2
    assert response.answers["devices"] == ["tablet"]
    assert response.answers["device_shared"] == "no"
