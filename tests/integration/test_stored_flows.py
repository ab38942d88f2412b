"""Flow revisions in the database: stored once as definitions, read back without the parser."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.flow import Flow
from bot.engine.meaning import needs, urgent
from bot.flowfiles import parse_flow
from bot.flowfiles.registry import FlowRegistry
from bot.flowfiles.stored import FORMAT, dump
from bot.settings import PROJECT_DIR
from bot.storage.db import make_engine, session_factory
from bot.storage.migrate import alembic_config, upgrade
from bot.storage.models import FlowVersion
from bot.storage.repositories.flows import FlowRevision
from bot.storage.unit import Transactions
from tests.integration.test_flow_registry import FLOW, write


def served(registry: FlowRegistry, flow_id: str) -> Flow:
    flow = registry.current(flow_id)
    assert flow is not None
    return flow


def test_a_restarted_registry_reads_the_revision_as_stored_not_its_source(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    path = write(flows, "vraag.yaml", "vraag", "Eerste vraag")
    before = FlowRegistry(Transactions(sessions), flows, tmp_path / "locales")
    before.reload()
    old = served(before, "vraag")
    write(flows, "vraag.yaml", "vraag", "Andere vraag")

    after = FlowRegistry(
        Transactions(sessions), flows, tmp_path / "locales"
    )  # as a restart builds it
    after.reload()
    # Neither the file nor the stored source can be parsed any more: only the definition is left.
    path.unlink()
    with sessions.begin() as db:
        db.execute(update(FlowVersion).values(source="steps: [unclosed"))

    with Transactions(sessions).begin() as uow:
        assert served(after, "vraag").revision != old.revision
        assert after.revision(old.revision, uow) == old


def test_each_revision_is_stored_once_with_its_definition_however_often_it_loads(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    write(flows, "vraag.yaml", "vraag")
    first, second = (
        FlowRegistry(Transactions(sessions), flows, tmp_path / "locales") for _ in range(2)
    )

    assert first.reload() == second.reload() == first.reload() == []

    flow = served(first, "vraag")
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(FlowVersion)) == 1
        row = db.get(FlowVersion, flow.revision)
        assert row is not None
        assert row.definition == dump(flow)
        assert row.source == FLOW.format(id="vraag", text="Vraag")


def test_storing_a_revision_already_there_leaves_it_as_it_was(
    sessions: sessionmaker[Session],
) -> None:
    first = FlowRevision("r1", "vraag", 1, "source one", {"format": FORMAT})
    again = FlowRevision("r1", "vraag", 1, "source two", None)
    transactions = Transactions(sessions)
    with transactions.begin() as uow:
        uow.flows.add(first)
        uow.flows.add(again)  # within one transaction too
    with transactions.begin() as uow:
        uow.flows.add(again)
    with transactions.read() as uow:
        assert uow.flows.get("r1") == first
        assert uow.flows.get("r2") is None


@pytest.mark.parametrize(
    "definition",
    [None, {"format": FORMAT + 1}, {"format": FORMAT, "id": "half"}],
    ids=["unparsed", "newer-format", "malformed"],
)
def test_a_revision_without_a_usable_definition_is_not_served(
    sessions: sessionmaker[Session],
    tmp_path: Path,
    definition: dict[str, object] | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    source = FLOW.format(id="vraag", text="Vraag")  # parses today, and still is not read
    transactions = Transactions(sessions)
    with transactions.begin() as uow:
        uow.flows.add(FlowRevision("r1", "vraag", 1, source, definition))
    registry = FlowRegistry(Transactions(sessions), tmp_path / "flows", tmp_path / "locales")

    with transactions.begin() as uow:
        assert registry.revision("r1", uow) is None
    assert "r1" in caplog.text


def test_migration_0007_fills_definitions_and_leaves_a_source_that_no_longer_parses(
    empty_database_url: str, tmp_path: Path
) -> None:
    good = FLOW.format(id="vraag", text="Vraag")
    flow = parse_flow(good.encode("utf-8"), "vraag.yaml").flow
    assert flow is not None
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0006")
            connection.execute(
                FlowVersion.__table__.insert(),  # type: ignore[attr-defined]
                [
                    {"revision": flow.revision, "flow_id": "vraag", "version": 1, "source": good},
                    {"revision": "broken", "flow_id": "oud", "version": 1, "source": "id: ["},
                ],
            )
        upgrade(empty_database_url)
        sessions = session_factory(engine)
        with sessions() as db:
            assert db.get(FlowVersion, flow.revision).definition == dump(flow)  # type: ignore[union-attr]
            assert db.get(FlowVersion, "broken").definition is None  # type: ignore[union-attr]
        registry = FlowRegistry(Transactions(sessions), tmp_path / "flows", tmp_path / "locales")
        with Transactions(sessions).begin() as uow:
            assert registry.revision(flow.revision, uow) == flow
            assert registry.revision("broken", uow) is None
    finally:
        engine.dispose()


def test_migration_0007_gives_a_revision_from_before_meaning_the_marks_it_had(
    empty_database_url: str, tmp_path: Path
) -> None:
    current = (PROJECT_DIR / "flows" / "thuissituatie.yaml").read_text(encoding="utf-8")
    start, end = current.index("# Wat de antwoorden"), current.index("steps:")
    old = current[:start] + current[end:]  # the default flow as it was served then
    flow = parse_flow(old.encode("utf-8"), "thuissituatie.yaml").flow
    assert flow is not None
    assert not urgent(flow, {"call_soon": "yes"})  # read today, it declares nothing
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0006")
            connection.execute(
                FlowVersion.__table__.insert(),  # type: ignore[attr-defined]
                [{"revision": "old", "flow_id": flow.id, "version": 1, "source": old}],
            )
        upgrade(empty_database_url)
        sessions = session_factory(engine)
        registry = FlowRegistry(Transactions(sessions), tmp_path / "flows", tmp_path / "locales")
        with Transactions(sessions).begin() as uow:
            served = registry.revision("old", uow)
        assert served is not None
        assert urgent(served, {"call_soon": "yes"})
        assert needs(served, {"devices": ["smartphone_only"], "help_at_home": "no"}) == (
            "smartphone",
            "help",
        )
        assert served.meaning.group == "grade"
    finally:
        engine.dispose()
