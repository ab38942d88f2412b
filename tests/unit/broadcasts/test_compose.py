"""The broadcast's pure core: needs, who is meant, each language once, what a family reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.broadcasts.compose import Version, message, versions, wanted
from bot.digests.needs import KNOWN_NEEDS, needs_of
from bot.flowfiles.loader import load_flow
from bot.i18n.localizer import Localizers
from bot.settings import PROJECT_DIR

LOCALIZERS = Localizers(PROJECT_DIR / "locales")
DEFAULT = load_flow(PROJECT_DIR / "flows" / "thuissituatie.yaml").flow


def test_needs_are_read_from_the_default_flows_declarations() -> None:
    assert needs_of(None, {"devices": ["none"]}) == set()  # no flow, nothing to read by
    assert needs_of(DEFAULT, {"devices": ["none"], "internet": "good"}) == {"device"}
    assert needs_of(DEFAULT, {"devices": ["computer"], "internet": "none"}) == {"internet"}
    assert needs_of(DEFAULT, {"help_at_home": "no", "call_soon": "yes"}) == {"help", "urgent"}
    assert needs_of(DEFAULT, {"devices": ["computer", "tablet"], "help_at_home": "yes"}) == set()
    # The flow's own needs are keys too, beside the bot's.
    assert needs_of(DEFAULT, {"devices": ["smartphone_only"]}) == {"smartphone"}
    assert set(KNOWN_NEEDS) == {"device", "internet", "help", "interpreter", "urgent"}


def test_a_family_is_meant_when_any_childs_answers_show_the_need() -> None:
    def needs(flow: str, answers: Mapping[str, Any]) -> frozenset[str]:
        return needs_of(DEFAULT, answers)

    children: list[tuple[str, Mapping[str, Any]]] = [
        ("f", {"devices": ["computer"]}),
        ("f", {"devices": ["none"]}),
    ]
    assert wanted(children, "device", needs)
    assert not wanted(children[:1], "device", needs)
    assert wanted(children[:1], None, needs)


def test_each_language_is_translated_once_and_a_missing_pair_is_kept_as_written() -> None:
    asked: list[str] = []

    def translate(text: str, source: str, target: str) -> str | None:
        asked.append(target)
        return None if target == "tr" else f"[{target}] {text}"

    found = versions("Hallo", "nl", ["ar", "nl", "tr", "ar", "tr"], translate)

    assert asked == ["ar", "tr"]
    assert found == {
        "ar": Version("ar", "[ar] Hallo", translated=True),
        "nl": Version("nl", "Hallo", translated=True),
        "tr": Version("tr", "Hallo", translated=False),
    }


def test_what_a_family_reads_names_the_school_and_says_how_it_was_translated() -> None:
    school = "De Regenboog"
    dutch = message(Version("nl", "Hallo", True), "nl", school, LOCALIZERS.get("nl"))
    english = message(Version("en", "Hello", True), "nl", school, LOCALIZERS.get("en"))
    polish = message(Version("pl", "Hallo", False), "nl", school, LOCALIZERS.get("pl"))
    arabic = message(Version("ar", "مرحبا", True), "nl", school, LOCALIZERS.get("ar"))

    assert dutch == "Bericht van De Regenboog:\n\nHallo"
    assert english.startswith("Message from De Regenboog (translated automatically from Dutch")
    assert english.endswith("\n\nHello")
    assert polish.startswith("Wiadomość od De Regenboog. Szkoła pisze po niderlandzku")
    assert polish.endswith("\n\nHallo")
    assert "\u2068De Regenboog\u2069" in arabic  # the Latin name kept apart in Arabic
