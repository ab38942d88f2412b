"""Flow files added while the bot runs are checked, and every refused one is reported."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bot.settings import PROJECT_DIR
from tests.e2e.harness import (
    COORDINATOR,
    Parent,
    Settled,
    bot_environment,
    running_bot,
    seed_schools,
)
from tests.fakes import FakeBotAPI

LONG_ID = "f" * 65
FLOW = "id: {id}\nversion: 1\nlanguages: [nl]\nsteps:\n  - {{id: q, kind: yesno, text: Vraag}}\n"


async def reported(api: FakeBotAPI, needle: str, timeout: float = 30.0) -> str:
    """Wait until a message to the coordinator names `needle`; return it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for message in api.messages(COORDINATOR):
            if needle in (message.text or ""):
                return message.text or ""
        await asyncio.sleep(0.2)
    raise AssertionError(f"the coordinators were never told about {needle}")


def test_a_flow_id_too_long_for_the_database_is_reported_and_watching_goes_on(
    api: FakeBotAPI, database_url: str, settled: Settled, tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(PROJECT_DIR / "flows", flows)
    seed_schools(database_url)
    environment = bot_environment(api, database_url, tmp_path, flows)

    async def scenario() -> None:
        async with running_bot(environment):
            (flows / "long.yaml").write_text(FLOW.format(id=LONG_ID), encoding="utf-8")
            first = await reported(api, "long.yaml")
            assert "at most 64" in first
            (flows / "broken.yaml").write_text('id: x\ntitle: "open\n', encoding="utf-8")
            second = await reported(api, "broken.yaml")
            assert "never closed" in second
            parent = Parent(api, settled, 941)
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            assert "Wilt u meedoen?" in parent.last_text

    asyncio.run(scenario())
