"""A flow's `meaning:`: urgency and needs come from its own rules, and the checker guards them."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from bot.digests.marks import mark_labels, needs_of, section_of, shown_elsewhere
from bot.digests.model import Section
from bot.engine.flow import Flow
from bot.engine.meaning import needs, urgent
from bot.flowfiles.checker import check_files
from bot.flowfiles.loader import LoadResult, parse_flow
from bot.flowfiles.roles import role_problems
from bot.flowfiles.stored import dump, load
from bot.flowfiles.texts import flow_texts
from bot.i18n.localizer import Localizers
from bot.settings import PROJECT_DIR

# A coordinator's own flow: the default flow's questions, every step named otherwise.
RENAMED = """\
id: ouders_zuid
version: 1
languages: [nl]
meaning:
  group: klas
  contact: bereik
  urgent: bel_mij == yes
  needs:
    device: apparaat has geen
    interpreter: taal == no
    reistijd:
      when: afstand > 30
      label: woont ver weg
steps:
  - {id: ok, kind: consent, text: Doet u mee, declined: Jammer}
  - {id: waar, kind: school, text: Welke school}
  - id: klas
    kind: choice
    text: Welke groep?
    choices: [{key: g5, label: Groep 5}, {key: g6, label: Groep 6}]
  - id: apparaat
    kind: multi
    text: Welke apparaten?
    choices: [{key: laptop, label: Laptop}, {key: geen, label: Geen, exclusive: true}]
  - {id: taal, kind: yesno, text: Leest u Nederlands}
  - {id: afstand, kind: number, text: Hoeveel minuten naar school, min: 0, max: 300}
  - id: bereik
    kind: choice
    text: Hoe bereiken wij u?
    choices: [{key: bellen, label: Bellen}, {key: chat, label: Chat}]
  - {id: bel_mij, kind: yesno, text: Wilt u deze week gebeld worden}
"""


def read(source: str) -> LoadResult:
    return parse_flow(textwrap.dedent(source).encode(), "ouders_zuid.yaml")


def flow_of(source: str) -> Flow:
    result = read(source)
    assert result.flow is not None, [p.format() for p in result.problems]
    return result.flow


def default_flow() -> Flow:
    path = PROJECT_DIR / "flows" / "thuissituatie.yaml"
    flow = parse_flow(path.read_bytes(), str(path)).flow
    assert flow is not None
    return flow


def test_a_renamed_flow_is_urgent_and_marked_by_its_own_rules() -> None:
    flow = flow_of(RENAMED)
    answers: dict[str, Any] = {"bel_mij": "yes", "apparaat": ["geen"], "taal": "yes"}

    assert urgent(flow, answers)
    assert needs(flow, {**answers, "afstand": 45}) == ("device", "reistijd")
    assert needs(flow, {"taal": "no", "afstand": 10}) == ("interpreter",)
    assert not urgent(flow, {"bel_mij": "no"})
    # Not answered (the step was never asked) is not urgent either.
    assert not urgent(flow, {})
    assert needs_of(flow, answers) == frozenset({"device"})


def test_the_digest_reads_the_sections_labels_and_hidden_steps_from_the_declarations() -> None:
    flow = flow_of(RENAMED)
    texts = Localizers(PROJECT_DIR / "locales").get("nl")

    assert section_of(flow, {"bel_mij": "yes"}) is Section.URGENT
    assert section_of(flow, {"apparaat": ["geen"]}) is Section.BASICS
    assert section_of(flow, {"afstand": 60}) is Section.OTHER
    labels = mark_labels(flow, {"bel_mij": "yes", "taal": "no", "afstand": 60}, texts)
    assert labels == ["wil deze week gebeld worden", "tolk nodig", "woont ver weg"]
    assert shown_elsewhere(flow) == {"klas", "bereik", "bel_mij"}


def test_the_default_flow_marks_what_the_code_used_to_mark() -> None:
    flow = default_flow()
    answers = {"call_soon": "yes", "devices": ["smartphone_only"], "internet": "mobile_only"}

    assert urgent(flow, answers)
    assert needs(flow, answers) == ("smartphone", "mobile_data")
    assert needs(flow, {"devices": ["none"], "internet": "none", "help_at_home": "no"}) == (
        "device",
        "internet",
        "help",
    )
    assert flow.meaning.group == "grade"
    assert flow.meaning.contact == "contact"
    assert flow.meaning.wishes == "help_wanted"


def test_the_meaning_of_a_stored_revision_comes_back_exactly() -> None:
    for flow in (flow_of(RENAMED), default_flow()):
        assert load(dump(flow)).meaning == flow.meaning


def test_a_revision_stored_before_flows_declared_meaning_keeps_its_old_marks() -> None:
    flow = default_flow()
    old = dump(flow)
    del old["meaning"]
    old["format"] = 1

    migrated = load(old)

    answers = {"call_soon": "yes", "devices": ["none"], "internet": "mobile_only"}
    assert urgent(migrated, answers)
    assert needs(migrated, answers) == ("device", "mobile_data")
    assert needs(migrated, {"help_at_home": "no"}) == ("help",)
    assert (migrated.meaning.group, migrated.meaning.contact) == ("grade", "contact")
    assert migrated.meaning.school == "school"
    # A format-1 revision of another flow, without those steps, is marked with nothing.
    renamed = dump(flow_of(RENAMED))
    del renamed["meaning"]
    other = load({**renamed, "format": 1})
    assert not urgent(other, {"bel_mij": "yes"})
    assert other.meaning.needs == ()
    assert other.meaning.consent == "ok"


@pytest.mark.parametrize(
    ("change", "line", "step", "message"),
    [
        (
            ("bel_mij == yes", "belmij == yes"),
            7,
            "belmij",
            "the condition names step 'belmij', which does not exist (did you mean 'bel_mij'?)",
        ),
        (
            ("apparaat has geen", "apparaat has gene"),
            9,
            "apparaat",
            "'gene' is not a choice key of step 'apparaat' (did you mean 'geen'?)",
        ),
        (
            ("group: klas", "group: klass"),
            5,
            "klass",
            "'meaning: group' names step 'klass', which does not exist (did you mean 'klas'?)",
        ),
        (
            ("contact: bereik", "contact: apparaat"),
            6,
            "apparaat",
            "'meaning: contact' must name a choice or yesno or text or phone step; "
            "'apparaat' is a multi step",
        ),
        (
            ("apparaat has geen", "apparaat == geen"),
            9,
            "apparaat",
            "'apparaat' is a multi step, where several choices can be picked; "
            "test it with 'has', as in apparaat has geen",
        ),
    ],
    ids=["missing-step", "missing-choice", "missing-role-step", "wrong-kind", "multi-equals"],
)
def test_a_rule_naming_a_missing_step_or_choice_refuses_the_flow(
    change: tuple[str, str], line: int, step: str, message: str
) -> None:
    result = read(RENAMED.replace(*change))

    assert result.flow is None
    [problem] = [p for p in result.problems if p.is_error]
    assert (problem.line, problem.step_id, problem.message) == (line, step, message)
    assert problem.format().startswith(f"ouders_zuid.yaml:{line}:")


def test_a_need_the_bot_does_not_know_needs_a_label() -> None:
    result = read(RENAMED.replace("      label: woont ver weg\n", ""))

    assert result.flow is None
    [problem] = result.problems
    assert problem.line == 11
    assert problem.message == (
        "need 'reistijd' is not one the bot knows (device, internet, help, interpreter); "
        "give it a 'label', the words the school reads"
    )


def test_a_flow_without_consent_or_school_is_warned_about_not_refused(tmp_path: Path) -> None:
    source = textwrap.dedent(RENAMED)
    source = source.replace("  - {id: ok, kind: consent, text: Doet u mee, declined: Jammer}\n", "")
    source = source.replace("  - {id: waar, kind: school, text: Welke school}\n", "")
    path = tmp_path / "ouders_zuid.yaml"
    path.write_text(source, encoding="utf-8")

    checked = check_files([path], PROJECT_DIR / "locales")
    problems = [*checked.problems, *role_problems(checked)]

    assert [(p.code, p.severity) for p in problems] == [
        ("no-consent", "warning"),
        ("no-school", "warning"),
    ]
    assert "add a consent step" in problems[0].message
    assert "add a school step" in problems[1].message


def test_a_flow_with_both_is_not_warned_about(tmp_path: Path) -> None:
    path = tmp_path / "ouders_zuid.yaml"
    path.write_text(RENAMED, encoding="utf-8")

    checked = check_files([path], PROJECT_DIR / "locales")
    assert [*checked.problems, *role_problems(checked)] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("  urgent: bel_mij == yes\n", "  urgent: [bel_mij]\n"),
            "a rule must be a condition, such as: call_soon == yes",
        ),
        (
            ("  urgent: bel_mij == yes\n", "  urgent: bel_mij ==\n"),
            "the condition cannot be read: expected a value after '==' but found the end",
        ),
        (
            ("      when: afstand > 30\n", ""),
            "need 'reistijd' has no 'when': the rule that marks it",
        ),
        (
            ("  group: klas\n", "  groep: klas\n"),
            "unknown key 'groep' (did you mean 'group'?)",
        ),
        (
            (RENAMED[RENAMED.index("meaning:") : RENAMED.index("steps:")], "meaning: ja\n"),
            "'meaning' must be a set of keys (urgent, needs, school, consent, ...)",
        ),
    ],
    ids=["rule-not-text", "rule-unreadable", "need-without-rule", "unknown-key", "not-a-mapping"],
)
def test_a_declaration_that_cannot_be_read_is_one_clear_error(
    change: tuple[str, str], message: str
) -> None:
    source = textwrap.dedent(RENAMED)
    assert change[0] in source
    result = read(source.replace(*change))

    assert result.flow is None
    assert [p.message for p in result.problems if p.is_error][:1] == [message]


def test_a_flow_may_say_in_its_own_words_what_makes_a_family_urgent() -> None:
    source = textwrap.dedent(RENAMED).replace(
        "  urgent: bel_mij == yes\n",
        "  urgent:\n    when: apparaat has geen\n    label: heeft niets om op te leren\n",
    )
    flow = flow_of(source)
    texts = Localizers(PROJECT_DIR / "locales").get("nl")

    assert urgent(flow, {"apparaat": ["geen"]})
    assert mark_labels(flow, {"apparaat": ["geen"]}, texts) == [
        "heeft niets om op te leren",
        "geen apparaat",
    ]
    assert load(dump(flow)).meaning == flow.meaning
    [text] = [t for t in flow_texts(flow, read(source).positions) if t.step is None][:1]
    assert (text.context, text.source) == (
        "ouders_zuid:meaning.urgent",
        "heeft niets om op te leren",
    )
    assert text.describe("x") == "the label 'x' of 'urgent'"
    # Without its rule there is nothing to go by.
    broken = read(source.replace("    when: apparaat has geen\n", ""))
    assert [p.message for p in broken.problems] == ["'urgent' has no 'when': its rule"]
