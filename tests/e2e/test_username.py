"""The running bot remembers its username from Telegram, for links made later without it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from bot.storage import stored
from tests.conftest import CliResult
from tests.e2e.harness import running_bot
from tests.fakes import FakeBotAPI


def test_the_username_from_get_me_is_remembered_and_used_for_links(
    api: FakeBotAPI,
    environment: dict[str, str],
    sessions: sessionmaker[Session],
    ouderbrug: Callable[..., CliResult],
) -> None:
    without_username = {k: v for k, v in environment.items() if k != "TELEGRAM_BOT_USERNAME"}

    async def start_and_stop() -> None:
        async with running_bot(without_username):
            pass

    asyncio.run(start_and_stop())

    with sessions() as db:
        assert stored.recall(db, stored.BOT_USERNAME) == "ouderbrug_test_bot"
    links = ouderbrug("schools", "links", "16AH00")
    assert links.code == 0, links.err
    assert "https://t.me/ouderbrug_test_bot?start=16AH00" in links.out
