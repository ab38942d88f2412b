"""Two live flows, reached by two links the coordinator made, both end in the digests."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import PROJECT_DIR
from tests.conftest import CliResult
from tests.e2e.harness import SCHOOLS, Parent, Settled, running_bot
from tests.fakes import FakeBotAPI
from tests.fakes.clock import FakeClock, amsterdam

STAFF_REGENBOOG, STAFF_ANKER = 7301, 7302
# A second flow, in Dutch only: a coordinator's own, with its own title.
LAPTOPS = """\
id: laptops
version: 1
title: Laptops lenen
languages: [nl]
steps:
  - id: consent
    kind: consent
    text: Uw antwoord gaat naar de school van uw kind. Doet u mee?
  - id: school
    kind: school
    label: School
    text: Op welke school zit uw kind?
  - id: laptop
    kind: yesno
    label: Laptop nodig
    text: Heeft uw kind een laptop van school nodig?
  - id: summary
    kind: summary
    text: Kloppen uw antwoorden?
"""


def two_flows(tmp: Path) -> Path:
    """Return a flows folder with the default flow and the laptops flow."""
    flows = tmp / "two-flows"
    shutil.copytree(PROJECT_DIR / "flows", flows)
    (flows / "laptops.yaml").write_text(LAPTOPS, encoding="utf-8")
    return flows


def payload(printed: CliResult) -> str:
    """Return the start payload of the parent link `schools links` printed."""
    assert printed.code == 0, printed.err
    [found] = re.findall(r"Parent link.*\n  https://t\.me/\w+\?start=(\S+)", printed.out)
    return str(found)


async def answer_default(parent: Parent, start: str) -> None:
    await parent.send(f"/start {start}")
    await parent.press("Nederlands")
    await parent.press("Ja, ik doe mee")
    for label in ("Groep 5", "Tablet", "Klaar", "Nee", "Goed", "Ja", "Overslaan", "Overslaan"):
        await parent.press(label)
    await parent.press("Via deze chat")
    await parent.press("Alles klopt, versturen")


async def answer_laptops(parent: Parent, start: str) -> None:
    await parent.send(f"/start {start}")
    await parent.press("Nederlands")
    await parent.press("Ja")  # consent
    await parent.press("Ja")  # a laptop, please
    await parent.press("Alles klopt, versturen")


def digest_text(api: FakeBotAPI, chat_id: int) -> str:
    parts = [m.text or "" for m in api.messages(chat_id)]
    return "\n".join(t for t in parts if t.startswith(("Ouderbrug:", "(deel")))


def test_two_flows_by_two_links_both_reach_the_digests_with_the_flow_named(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    tmp_path: Path,
    ouderbrug: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flows = two_flows(tmp_path)
    environment = {**environment, "FLOWS_DIR": str(flows)}
    # The coordinator's command line, on the same folder and database as the bot.
    monkeypatch.setenv("FLOWS_DIR", str(flows))
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "ouderbrug_test_bot")
    laptops_link = payload(ouderbrug("schools", "links", "17BX01", "--flow", "laptops"))
    plain_link = payload(ouderbrug("schools", "links", "16AH00"))
    # The same school and flow keep their link: a printed letter stays valid.
    again = ouderbrug("schools", "links", "17BX01", "--flow", "laptops")
    assert payload(again) == laptops_link
    assert (tmp_path / "17BX01-laptops-ouderlink.png").exists()
    refused = ouderbrug("schools", "links", "17BX01", "--flow", "laptop")
    assert refused.code == 1
    assert "did you mean 'laptops'?" in refused.err
    assert laptops_link.startswith("f-")
    assert "laptops" not in laptops_link
    assert "17BX01" not in laptops_link
    clock = FakeClock(amsterdam(2026, 12, 7, 9, 0))

    async def scenario() -> None:
        async with running_bot(environment, clock) as runtime:
            assert runtime.system.jobs is not None
            await Parent(api, settled, STAFF_REGENBOOG).send(f"/start staff-{SCHOOLS[0][3]}")
            await Parent(api, settled, STAFF_ANKER).send(f"/start staff-{SCHOOLS[1][3]}")
            await runtime.system.jobs.digest_pass()  # 09:00: plans the digests at 15:30
            await answer_default(Parent(api, settled, 7311), plain_link)
            laptop_parent = Parent(api, settled, 7312)
            await answer_laptops(laptop_parent, laptops_link)
            clock.set(amsterdam(2026, 12, 7, 15, 30))
            await runtime.system.jobs.digest_pass()
            assert runtime.system.sender is not None
            await runtime.system.sender.idle()

    asyncio.run(scenario())
    regenboog, anker = digest_text(api, STAFF_REGENBOOG), digest_text(api, STAFF_ANKER)
    # Each school has its one family, named by the flow it answered; no family twice.
    assert "Nieuw: 1 gezin." in regenboog
    assert "Vragenlijst: Leren thuis" in regenboog
    assert "Nieuw: 1 gezin." in anker
    assert "Vragenlijst: Laptops lenen" in anker
    assert "Laptop nodig: Ja" in anker
    assert "Laptops lenen" not in regenboog
    assert "Leren thuis" not in anker
