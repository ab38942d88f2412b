"""Extracting flow texts for translators: every text, its context, and a note on its role."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract, extract_from_file
from babel.messages.pofile import read_po

from bot.flowfiles.extract import extract_flow

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FLOW = ROOT / "flows" / "thuissituatie.yaml"
EVERY_KIND = ROOT / "tests" / "fixtures" / "flows" / "every_kind.yaml"
PYBABEL = Path(sys.executable).parent / "pybabel"

# (line, msgid, comments, msgctxt), as Babel's extract gives them.
Message = tuple[int, str | tuple[str, ...], list[str], str | None]


def line_of(text: str) -> int:
    """Return the line of the default flow on which a text is written."""
    lines = DEFAULT_FLOW.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def extracted(path: Path, method: str = "ouderbrug_flow") -> list[Message]:
    with path.open("rb") as fileobj:
        return list(extract(method, fileobj))


def test_every_text_is_extracted_in_file_order_with_its_context() -> None:
    messages = extracted(EVERY_KIND)

    assert [(line, context, msgid) for line, msgid, _, context in messages[:9]] == [
        (14, "every_kind:hello", "Hallo!"),
        (18, "every_kind:consent", "Toestemming"),
        (19, "every_kind:consent", "Mogen wij uw antwoorden bewaren?"),
        (20, "every_kind:consent", "Jammer. Wij hebben niets bewaard."),
        (24, "every_kind:school", "School"),
        (25, "every_kind:school", "Op welke school zit uw kind?"),
        (29, "every_kind:grade", "Groep"),
        (30, "every_kind:grade", "In welke groep zit uw kind?"),
        (32, "every_kind:grade:groep_1", "Groep 1"),
    ]
    assert messages[-2][:2] == (85, "Kloppen uw antwoorden?")
    # A need's label belongs to no step: its context names the need.
    assert messages[-1][:2] == (96, "schreef de school iets")
    assert messages[-1][3] == "every_kind:need.remark"
    assert [line for line, *_ in messages] == sorted(line for line, *_ in messages)


def test_each_text_tells_translators_its_step_and_role() -> None:
    notes = {(context, msgid): comments for _, msgid, comments, context in extracted(EVERY_KIND)}

    assert notes["every_kind:hello", "Hallo!"] == ["step hello (message): message to the parent"]
    assert notes["every_kind:devices", "Welke apparaten zijn er thuis?"] == [
        "step devices (multi): question"
    ]
    assert notes["every_kind:devices", "Apparaten"] == ["step devices: short name in the summary"]
    assert notes["every_kind:consent", "Jammer. Wij hebben niets bewaard."] == [
        "step consent: shown after declining"
    ]
    assert notes["every_kind:devices:none", "Geen apparaat"] == ["step devices, choice none"]
    assert notes["every_kind:summary", "Kloppen uw antwoorden?"] == [
        "step summary (summary): shown above the answers in the summary"
    ]
    assert notes["every_kind:need.remark", "schreef de school iets"] == [
        "need remark: what the school's digest says the family needs"
    ]


def test_a_choice_written_over_several_lines_is_found_at_its_label() -> None:
    lines = {(context, msgid): line for line, msgid, _, context in extracted(EVERY_KIND)}

    assert lines["every_kind:devices:none", "Geen apparaat"] == 48


def test_the_method_can_be_named_by_module_and_function() -> None:
    found = list(extract_from_file("bot.flowfiles.extract:extract_flow", str(DEFAULT_FLOW)))

    assert found == extracted(DEFAULT_FLOW)
    texts, labels, declined, choices = 16, 13, 1, 14 + 4 + 4 + 3 + 6 + 2
    needs = 2  # smartphone and mobile_data; the built-in needs have the bot's own words
    assert len(found) == texts + labels + declined + choices + needs


def test_the_default_flow_gives_one_message_per_text() -> None:
    contexts = {(context, msgid) for _, msgid, _, context in extracted(DEFAULT_FLOW)}

    assert ("thuissituatie:devices:none", "Geen apparaat") in contexts
    assert ("thuissituatie:internet:none", "Geen internet") in contexts
    assert ("thuissituatie:devices", "Apparaten") in contexts


def test_a_broken_flow_yields_nothing_and_says_why(caplog: pytest.LogCaptureFixture) -> None:
    fileobj = io.BytesIO(
        b"id: broken\nversion: 1\nlanguages: [nl]\nsteps:\n  - {id: a, kind: nope, text: A}\n"
    )
    fileobj.name = "flows/broken.yaml"

    with caplog.at_level(logging.WARNING, logger="bot.flowfiles.extract"):
        found = list(extract_flow(fileobj, DEFAULT_KEYWORDS.keys(), [], {}))

    assert found == []
    [record] = caplog.records
    assert "flows/broken.yaml:5:19: [step a] unknown kind 'nope'" in record.getMessage()


def test_binary_junk_yields_nothing() -> None:
    assert (
        list(extract_flow(io.BytesIO(bytes(range(256)) * 40), DEFAULT_KEYWORDS.keys(), [], {}))
        == []
    )


def test_nothing_is_yielded_when_pgettext_is_switched_off() -> None:
    with DEFAULT_FLOW.open("rb") as fileobj:
        assert list(extract_flow(fileobj, ["gettext"], [], {})) == []


def test_pybabel_extract_with_the_project_config_writes_flow_texts(tmp_path: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "flows", tmp_path / "flows")
    shutil.copy(EVERY_KIND, tmp_path / "flows" / "every_kind.yaml")
    (tmp_path / "flows" / "broken.yaml").write_text("id: [\n", encoding="utf-8")

    # The mapping's patterns (flows/**.yaml) are relative to the folder given: give the root.
    run = subprocess.run(
        [str(PYBABEL), "extract", "-F", "pyproject.toml", "-o", "messages.pot", "."],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )

    assert "skipping a flow file with 1 error(s), first " in run.stderr
    assert "broken.yaml:2:1: the file is not valid YAML" in run.stderr

    with (tmp_path / "messages.pot").open("rb") as fileobj:
        catalog = read_po(fileobj)
    message = catalog.get("Geen apparaat", context="thuissituatie:devices:none")
    assert message is not None
    assert message.auto_comments == ["step devices, choice none"]
    assert message.locations == [("flows/thuissituatie.yaml", line_of("Geen apparaat"))]
    question = catalog.get(
        "Welke apparaten kan uw kind thuis gebruiken voor schoolwerk? Kies alles wat klopt.",
        context="thuissituatie:devices",
    )
    assert question is not None
    assert question.auto_comments == ["step devices (multi): question"]
    assert catalog.get("Hallo!", context="every_kind:hello") is not None
    # Folded texts arrive as the one line a parent reads.
    welcome = [m for m in catalog if m.context == "thuissituatie:welcome"]
    [welcome_id] = [str(m.id) for m in welcome]
    assert welcome_id.startswith("Hallo! De school van uw kind wil weten")
    assert "\n" not in welcome_id
    assert {m.context.split(":")[0] for m in catalog if m.context} == {
        "thuissituatie",
        "every_kind",
    }
