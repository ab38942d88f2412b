"""Staff on Telegram see only their own school; coordinators change flows while the bot runs."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bot.settings import PROJECT_DIR
from tests.e2e.harness import COORDINATOR, SCHOOLS, Parent, Settled, bot_environment, running_bot
from tests.e2e.test_parents import DUTCH, answer_everything
from tests.fakes import FakeBotAPI


def test_staff_of_one_school_cannot_see_another_schools_families(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            staff_a = Parent(api, settled, 901)
            staff_b = Parent(api, settled, 902)
            await staff_a.send(f"/start staff-{SCHOOLS[0][3]}")
            await staff_b.send(f"/start staff-{SCHOOLS[1][3]}")
            assert "De Regenboog" in staff_a.last_text
            for user_id, school in ((911, "16AH00"), (912, "17BX01")):
                parent = Parent(api, settled, user_id)
                await parent.send(f"/start {school}")
                await parent.press("Nederlands")
                await answer_everything(parent, {**DUTCH, "remark": f"opmerking van {user_id}"})
            await staff_a.send("/responses")
            await staff_b.send("/responses")
            assert "opmerking van 911" in staff_a.last_text
            assert "opmerking van 912" not in staff_a.last_text
            assert "opmerking van 912" in staff_b.last_text
            assert "opmerking van 911" not in staff_b.last_text

    asyncio.run(scenario())


def test_a_changed_flow_is_picked_up_and_parents_finish_on_their_version(
    api: FakeBotAPI, database_url: str, settled: Settled, tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(PROJECT_DIR / "flows", flows)
    from tests.e2e.harness import seed_schools

    seed_schools(database_url)
    environment = bot_environment(api, database_url, tmp_path, flows)
    path = flows / "thuissituatie.yaml"
    original = path.read_text(encoding="utf-8")

    async def scenario() -> None:
        async with running_bot(environment) as runtime:
            early = Parent(api, settled, 921)
            await early.send("/start 16AH00")
            await early.press("Nederlands")
            await early.press("Ja, ik doe mee")
            # The coordinator drops the group question and bumps the version.
            start = original.index("  - id: grade")
            end = original.index("  - id: devices")
            # Its meaning names the group step too; left there, the check refuses the edit.
            changed = (original[:start] + original[end:]).replace("  group: grade\n", "")
            path.write_text(changed.replace("version: 2", "version: 3"), encoding="utf-8")
            await runtime.reload_and_tell()
            late = Parent(api, settled, 922)
            await late.send("/start 16AH00")
            await late.press("Nederlands")
            await late.press("Ja, ik doe mee")
            assert "Welke apparaten" in late.last_text  # the new version has no group question
            assert "In welke groep" in early.last_text
            await early.press("Groep 2")  # still answerable on the version it started
            assert "Welke apparaten" in early.last_text

            # A broken file is refused, the coordinator is told where, the last good one stays.
            path.write_text(changed.replace("kind: multi", "kind: multiple", 1), encoding="utf-8")
            await runtime.reload_and_tell()
            await runtime.system.sender.idle()
            report = api.last_message(COORDINATOR).text or ""
            assert "thuissituatie.yaml:" in report
            assert "multiple" in report
            third = Parent(api, settled, 923)
            await third.send("/start 16AH00")
            await third.press("Nederlands")
            await third.press("Ja, ik doe mee")
            assert "Welke apparaten" in third.last_text

    asyncio.run(scenario())


def test_a_coordinator_can_reload_from_the_chat(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            coordinator = Parent(api, settled, COORDINATOR)
            await coordinator.send("/reload")
            assert "thuissituatie (versie 2" in coordinator.last_text
            parent = Parent(api, settled, 931)
            await parent.send("/start")
            await parent.press("Nederlands")
            await parent.send("/reload")
            assert parent.last_text == "Dat commando ken ik niet. Typ /help."

    asyncio.run(scenario())


def test_responses_longer_than_one_telegram_message_all_arrive(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    # Near the flow's 1000 characters; the emoji counts twice to Telegram.
    remark = "Wij hebben thuis geen printer 😀 " * 30

    async def scenario() -> None:
        async with running_bot(environment) as runtime:
            for user_id in range(931, 936):
                parent = Parent(api, settled, user_id)
                await parent.send("/start 16AH00")
                await parent.press("Nederlands")
                await answer_everything(parent, {**DUTCH, "remark": f"{user_id}: {remark}"})
            staff = Parent(api, settled, 939)
            await staff.send(f"/start staff-{SCHOOLS[0][3]}")
            before = len(staff.texts())
            await staff.send("/responses")
            await runtime.system.sender.idle()
            listed = staff.texts()[before:]
            assert len(listed) > 1  # one message would be over the limit, and refused
            assert listed[0].startswith("De Regenboog")
            for user_id in range(931, 936):
                assert sum(f"{user_id}: {remark.strip()}" in text for text in listed) == 1

    asyncio.run(scenario())
