"""Fixtures for end-to-end tests: the fake Bot API, a seeded database, a settled-waiter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Settled, bot_environment, seed_schools
from tests.fakes import FakeBotAPI


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as fake:
        yield fake


@pytest.fixture
def environment(api: FakeBotAPI, database_url: str, tmp_path: Path) -> dict[str, str]:
    seed_schools(database_url)
    return bot_environment(api, database_url, tmp_path)


@pytest.fixture
def settled(database_url: str) -> Iterator[Settled]:
    waiter = Settled(database_url)
    yield waiter
    waiter.close()
