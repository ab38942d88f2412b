"""A language added by configuration and a catalog only: Somali, offered and used throughout."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from bot.settings import PROJECT_DIR
from tests.e2e.harness import Parent, Settled, running_bot
from tests.fakes import FakeBotAPI

# A few real Somali texts; the rest of the test catalog is the English one, relabelled,
# so that the flow is complete in Somali as `flows check` requires.
SOMALI = {
    "Kies uw taal.": "Dooro luqaddaada.",
    "Beginnen of verder gaan": "Bilow ama sii wad",
    "Ja, ik doe mee": "Haa, waan ka qayb qaadanayaa",
    "Dank u wel, u bent klaar. Typ /status om te zien wat wij bewaren.": (
        "Mahadsanid, waad dhammaysay. Qor /status si aad u aragto waxa aan kaydinno."
    ),
}
WELCOME_SO = (
    "Salaan! Dugsiga ilmahaagu wuxuu doonayaa inuu ogaado waxa ilmahaagu u baahan yahay si "
    "uu guriga wax ugu barto. Waa ilaa 12 su'aalood oo gaagaaban. Waxay qaadanaysaa ilaa "
    "3 daqiiqo."
)


def somali_installation(tmp: Path) -> tuple[Path, Path]:
    """Copy flows and catalogs, add locales/so and 'so' to the flow's languages.

    Somali ships with its own catalog: the copy starts without it, as an installation
    that never had Somali does.
    """
    locales, flows = tmp / "locales", tmp / "flows"
    shutil.copytree(PROJECT_DIR / "locales", locales)
    shutil.copytree(PROJECT_DIR / "flows", flows)
    shutil.rmtree(locales / "so")
    flow = flows / "thuissituatie.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace(", so,", ",", 1), encoding="utf-8")
    with (locales / "en" / "LC_MESSAGES" / "ouderbrug.po").open("rb") as source:
        catalog = read_po(source, locale="en")
    catalog.locale = "so"
    for message in catalog:
        if message.id in SOMALI:
            message.string = SOMALI[str(message.id)]
        elif message.context == "thuissituatie:welcome":
            message.string = WELCOME_SO
    target = locales / "so" / "LC_MESSAGES" / "ouderbrug.po"
    target.parent.mkdir(parents=True)
    with target.open("wb") as out:
        write_po(out, catalog)
    flow = flows / "thuissituatie.yaml"
    text = flow.read_text(encoding="utf-8")
    flow.write_text(re.sub(r"languages: \[(.*)\]", r"languages: [\1, so]", text, count=1))
    return locales, flows


def test_somali_by_configuration_is_in_the_picker_the_menus_and_the_questions(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, tmp_path: Path
) -> None:
    locales, flows = somali_installation(tmp_path)
    environment = {
        **environment,
        "LOCALES_DIR": str(locales),
        "FLOWS_DIR": str(flows),
        "LANGUAGES": "nl,en,ar,tr,pl,uk,so",
    }

    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 731, "so")
            await parent.send("/start 16AH00")
            picker = api.last_message(parent.chat_id)
            assert "Dooro luqaddaada." in (picker.text or "")
            # Telegram said the phone speaks Somali: it comes first, marked.
            assert picker.buttons[0]["text"] == "✓ Soomaali"
            await parent.press("Soomaali")
            assert WELCOME_SO in parent.texts()
            await parent.press("Haa, waan ka qayb qaadanayaa")
            # The question and its buttons come from the Somali catalog (English-based here).
            assert "Group 6 (groep 6)" in [
                b["text"] for b in api.last_message(parent.chat_id).buttons
            ]
            await parent.send("/help")
            assert parent.last_text.startswith("I will ask you questions")

    asyncio.run(scenario())
    [start] = [c for c in api.commands("so") if c["command"] == "start"]
    assert start["description"] == "Bilow ama sii wad"


def test_an_unknown_language_code_is_not_offered(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    environment = {**environment, "LANGUAGES": "nl,en,qq"}

    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 732, "nl")
            await parent.send("/start 16AH00")
            names = [b["text"].lstrip("✓ ") for b in api.last_message(parent.chat_id).buttons]
            # The two languages known, then the button that turns reading aloud on.
            assert names[:-1] == ["Nederlands", "English"]
            assert names[-1].startswith("🔊")

    asyncio.run(scenario())
