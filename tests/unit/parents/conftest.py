"""The flows and texts, read once per run; a fresh room on a fake unit of work per test."""

from __future__ import annotations

import pytest

from bot.engine.flow import Flow
from bot.i18n.languages import supported
from bot.i18n.localizer import Localizers
from bot.settings import PROJECT_DIR
from tests.unit.parents.chat import Chat, conversations, load_flows


@pytest.fixture(scope="session")
def flows() -> dict[str, Flow]:
    return load_flows()


@pytest.fixture(scope="session")
def localizers() -> Localizers:
    localizers = Localizers(PROJECT_DIR / "locales")
    for language in supported():  # read every catalog here, not inside a test
        localizers.get(language.code)
    return localizers


@pytest.fixture
def chat(flows: dict[str, Flow], localizers: Localizers) -> Chat:
    return Chat(conversations(flows, localizers))
