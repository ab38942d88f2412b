"""The registry reads a session's revision on the caller's unit of work, never on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from bot.engine.flow import Flow
from bot.flowfiles import load_flow, loader
from bot.flowfiles.registry import FlowRegistry
from bot.flowfiles.stored import dump
from bot.storage.repositories.flows import FlowRevision
from bot.storage.unit import Transactions
from tests.fakes.units import FakeUnitOfWork

EVERY_KIND = (
    Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "flows" / "every_kind.yaml"
)


def refuse(*_args: object) -> None:
    raise AssertionError("the YAML loader ran")


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flow: Flow) -> FlowRegistry:
    """A registry that can reach no database (an unbound session factory) and no YAML.

    After `flow`: the test's flow is read from its file before the YAML loader is refused.
    """
    built = FlowRegistry(Transactions(sessionmaker()), tmp_path / "flows", tmp_path / "locales")
    monkeypatch.setattr(loader, "compose", refuse)
    return built


@pytest.fixture
def flow() -> Flow:
    flow = load_flow(EVERY_KIND).flow
    assert flow is not None
    return flow


def stored(flow: Flow) -> FlowRevision:
    return FlowRevision(flow.revision, flow.id, flow.version, "never read", dump(flow))


def test_a_stored_revision_is_read_from_the_unit_of_work(
    registry: FlowRegistry, flow: Flow
) -> None:
    uow = FakeUnitOfWork()
    uow.flows.add(stored(flow))

    assert registry.revision(flow.revision, uow) == flow


def test_a_revision_read_once_is_served_from_memory_after(
    registry: FlowRegistry, flow: Flow
) -> None:
    uow = FakeUnitOfWork()
    uow.flows.add(stored(flow))
    registry.revision(flow.revision, uow)

    again = FakeUnitOfWork()  # knows nothing: the answer can only come from memory
    assert registry.revision(flow.revision, again) == flow
    assert again.flows.reads == []


def test_a_revision_nobody_stored_is_none(registry: FlowRegistry) -> None:
    uow = FakeUnitOfWork()
    assert registry.revision("0123456789ab", uow) is None
    assert uow.flows.reads == ["0123456789ab"]
