"""Every real update in the reference data gets its answer, by polling and by webhook.

Telegram's own documented examples lack `is_bot`, which python-telegram-bot requires:
fed them, its Updater refetched the same batch forever and answered nobody else.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.e2e.harness import running_bot
from tests.e2e.real_updates import answer_owed, real_updates
from tests.e2e.test_webhook import SECRET, webhook_server
from tests.fakes import FakeBotAPI


def no_trouble_logged(caplog: pytest.LogCaptureFixture) -> None:
    trouble = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.startswith(("bot", "telegram"))
    ]
    assert trouble == []


def test_every_real_update_is_answered_by_polling(
    api: FakeBotAPI, environment: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    updates = real_updates()

    async def scenario() -> None:
        async with running_bot(environment):
            for real in updates:
                owed = answer_owed(api, real)
                update_id = api.push_update(real.fresh())
                if owed is not None:
                    await api.async_wait_for(owed, what=f"the answer to {real.name}")
                await api.async_wait_for(
                    lambda: update_id not in api.pending_update_ids(),  # noqa: B023
                    what=f"{real.name} confirmed",
                )

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    no_trouble_logged(caplog)


def test_every_real_update_is_answered_by_webhook(
    api: FakeBotAPI,
    environment: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    updates = real_updates()

    async def scenario() -> None:
        async with webhook_server(environment, monkeypatch) as url:
            for real in updates:
                owed = answer_owed(api, real)
                status = await api.async_deliver_webhook(url, real.fresh(), secret_token=SECRET)
                assert status == 200, real.name
                if owed is not None:
                    await api.async_wait_for(owed, what=f"the answer to {real.name}")

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    no_trouble_logged(caplog)
