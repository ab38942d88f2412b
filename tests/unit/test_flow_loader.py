"""The flow loader: every mistake in a flow file is named by line, column and step."""

from __future__ import annotations

import hashlib
import json
import random
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from bot.engine.flow import StepKind
from bot.flowfiles import LoadResult, Position, Problem, load_flow, load_flows, parse_flow
from bot.flowfiles.document import LONGEST_FLOW_ID
from bot.i18n.entries import TELEGRAM_TEXT_LIMIT
from bot.messages.callbacks import longest_choice_key, longest_step_id

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FLOW = ROOT / "flows" / "thuissituatie.yaml"
EVERY_KIND = ROOT / "tests" / "fixtures" / "flows" / "every_kind.yaml"

HEADER = """\
id: test
version: 1
languages: [nl, en]
steps:
"""
# Line numbers in the tests count from here: HEADER takes lines 1-4.


def load(tmp_path: Path, source: str, name: str = "flow.yaml") -> LoadResult:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return load_flow(path)


def steps(tmp_path: Path, body: str) -> LoadResult:
    """Load a flow whose steps are `body`, indented two spaces under `steps:` from line 5."""
    return load(tmp_path, HEADER + textwrap.indent(textwrap.dedent(body), "  "))


def only(result: LoadResult, code: str) -> Problem:
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, [p.format() for p in result.problems]
    return found[0]


def at(problem: Problem) -> tuple[int, int, str | None]:
    return problem.line, problem.column, problem.step_id


# ---- flows that load -------------------------------------------------------------------


def test_the_default_flow_loads_without_problems() -> None:
    result = load_flow(DEFAULT_FLOW)

    assert result.problems == []
    assert result.flow is not None
    assert result.flow.id == "thuissituatie"
    assert result.flow.source_language == "nl"
    assert result.flow.languages[:6] == ("nl", "en", "ar", "tr", "pl", "uk")
    assert {"ti", "so", "fa_AF", "kab", "zh_Hans"} <= set(result.flow.languages)
    assert result.flow.step("devices").choice("none") is not None


def test_the_revision_is_a_short_hash_of_the_file() -> None:
    result = load_flow(DEFAULT_FLOW)

    assert result.flow is not None
    expected = hashlib.sha256(DEFAULT_FLOW.read_bytes()).hexdigest()[:12]
    assert result.flow.revision == expected


def test_a_flow_with_every_kind_and_operator_loads() -> None:
    result = load_flow(EVERY_KIND)

    assert result.problems == []
    assert result.flow is not None
    assert {s.kind for s in result.flow.steps} == set(StepKind)
    why = result.flow.step("why")
    assert why.when is not None
    assert why.when.evaluate({"help_at_home": "no", "devices": ("laptop",)}) is True
    assert why.when.evaluate({"help_at_home": "no", "devices": ("none",)}) is False
    assert why.optional
    assert why.max_length == 500
    devices = result.flow.step("devices")
    assert (devices.min, devices.max) == (1, 2)
    assert [c.exclusive for c in devices.choices] == [False, False, True]


def test_positions_name_the_line_of_each_text() -> None:
    result = load_flow(EVERY_KIND)

    assert result.positions.step("devices") == Position(36, 5)
    assert result.positions.step("devices", "text") == Position(39, 11)
    assert result.positions.choice("devices", "none", "label") == Position(48, 16)
    assert result.positions.choice("grade", "groep_2", "label") == Position(33, 31)
    assert result.positions.language("en") == Position(9, 17)
    # Something never written falls back to what encloses it.
    assert result.positions.step("devices", "declined") == Position(36, 5)


def test_yaml_one_point_one_words_stay_the_words_written(tmp_path: Path) -> None:
    # YAML reads a bare no, on or yes as true/false; a choice key or language means the word.
    result = load(
        tmp_path,
        """\
        id: norway
        version: 1
        languages: [nl, no]
        steps:
          - id: q
            kind: choice
            text: Vraag
            choices:
              - {key: yes, label: Ja}
              - {key: no, label: Nee}
        """,
    )

    assert result.problems == []
    assert result.flow is not None
    assert result.flow.languages == ("nl", "no")
    assert [c.key for c in result.flow.step("q").choices] == ["yes", "no"]


def test_a_warning_does_not_stop_the_flow(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: hello
            kind: message
            optional: true
            text: Hallo
        """,
    )

    problem = only(result, "unused")
    assert problem.severity == "warning"
    assert at(problem) == (7, 5, "hello")
    assert result.flow is not None


def test_a_label_on_a_message_is_flagged_as_never_shown(tmp_path: Path) -> None:
    result = steps(tmp_path, "- {id: hello, kind: message, label: Hallo, text: Hallo!}\n")

    problem = only(result, "unused")
    assert (problem.severity, problem.line, problem.column) == ("warning", 5, 32)
    assert "never shown" in problem.message


# ---- reading the file ------------------------------------------------------------------


def test_a_missing_file_is_a_problem(tmp_path: Path) -> None:
    result = load_flow(tmp_path / "nowhere.yaml")

    problem = only(result, "unreadable")
    assert "does not exist" in problem.message
    assert result.flow is None


def test_a_file_that_is_not_utf8_names_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: test\ntitle: Café\n".encode("latin-1"))

    problem = only(load_flow(path), "unreadable")

    assert (problem.line, problem.column) == (2, 11)
    assert "UTF-8" in problem.message


def test_a_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: hello
            kind: message
            text: "Hallo
        """,
    )

    problem = only(result, "syntax")
    assert problem.line == 7
    assert problem.step_id is None


def test_an_unclosed_quote_is_named_where_it_opens_not_at_the_end(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: hello
            kind: message
            text: "Hallo
          - id: bye
            kind: message
            text: Dag
        """,
    )

    problem = only(result, "syntax")
    assert (problem.line, problem.column) == (7, 11)
    assert problem.message == "the quoted text that starts here is never closed"


def test_a_key_without_a_colon_is_named_on_its_own_line(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: hello
            text Hallo
            kind: message
        """,
    )

    problem = only(result, "syntax")
    assert (problem.line, problem.column) == (6, 5)
    assert "colon" in problem.message


def test_an_unclosed_bracket_is_named_where_it_opens(tmp_path: Path) -> None:
    problem = only(load(tmp_path, "id: test\nlanguages: [nl, en\nsteps: []\n"), "syntax")

    assert (problem.line, problem.column) == (2, 12)
    assert "never closed" in problem.message


def test_bad_indentation_is_named_where_it_goes_wrong(tmp_path: Path) -> None:
    problem = only(load(tmp_path, "id: x\nsteps:\n  - id: a\n   kind: b\n"), "syntax")

    assert (problem.line, problem.column) == (4, 4)
    assert "indentation" in problem.message


def test_tabs_in_the_indentation_get_a_hint(tmp_path: Path) -> None:
    result = load(tmp_path, "id: test\nsteps:\n\t- id: hello\n")

    problem = only(result, "syntax")
    assert problem.line == 3
    assert "tabs" in problem.message


def test_a_file_that_is_a_list_is_refused(tmp_path: Path) -> None:
    problem = only(load(tmp_path, "- id: hello\n"), "not-a-mapping")

    assert at(problem) == (1, 1, None)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    problem = only(load(tmp_path, "# nothing yet\n"), "not-a-mapping")

    assert "empty" in problem.message


# ---- keys ------------------------------------------------------------------------------


def test_a_step_that_is_not_a_set_of_keys_is_refused(tmp_path: Path) -> None:
    problem = only(
        steps(tmp_path, "- {id: a, kind: message, text: A}\n- just a text\n"), "not-a-mapping"
    )

    assert (problem.line, problem.column) == (6, 5)
    assert "each step must be a set of keys" in problem.message


def test_an_unknown_step_key_suggests_the_closest(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: devices
            kind: multi
            text: Welke?
            choises:
              - {key: a, label: A}
              - {key: b, label: B}
        """,
    )

    problem = only(result, "unknown-key")
    assert at(problem) == (8, 5, "devices")
    assert problem.message == "unknown key 'choises' (did you mean 'choices'?)"
    assert problem.format().endswith(
        "flow.yaml:8:5: [step devices] unknown key 'choises' (did you mean 'choices'?)"
    )
    assert result.flow is None


def test_an_unknown_top_level_key_is_refused(tmp_path: Path) -> None:
    result = load(tmp_path, "languagse: [nl]\n" + HEADER + "  - {id: a, kind: message, text: A}\n")

    problem = only(result, "unknown-key")
    assert at(problem) == (1, 1, None)
    assert "did you mean 'languages'" in problem.message


def test_a_key_given_twice_is_refused_rather_than_the_last_kept(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: hello
            kind: message
            text: Hallo
            text: Dag
        """,
    )

    problem = only(result, "duplicate-key")
    assert at(problem) == (8, 5, "hello")
    assert "first on line 7" in problem.message


def test_a_choice_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: q
            kind: choice
            text: Vraag
            choices:
              - {key: a, label: A, lable: A}
              - {key: b, label: B}
        """,
    )

    problem = only(result, "unknown-key")
    assert at(problem) == (9, 28, "q")


# ---- types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ('version: "1"', "version"),
        ("version: 1.5", "version"),
        ("version: true", "version"),
        ("version: " + "9" * 5000, "version"),
    ],
)
def test_the_version_must_be_a_whole_number(tmp_path: Path, line: str, name: str) -> None:
    result = load(
        tmp_path, HEADER.replace("version: 1", line) + "  - {id: a, kind: message, text: A}\n"
    )

    problem = only(result, "wrong-type")
    assert (problem.line, problem.column) == (2, 10)
    assert f"'{name}' must be a whole number" in problem.message


def test_languages_must_be_a_list(tmp_path: Path) -> None:
    result = load(
        tmp_path, HEADER.replace("[nl, en]", "nl") + "  - {id: a, kind: message, text: A}\n"
    )

    problem = only(result, "wrong-type")
    assert (problem.line, problem.column) == (3, 12)


def test_a_language_must_look_like_a_language_code(tmp_path: Path) -> None:
    header = HEADER.replace("[nl, en]", "[nl, English]")
    problem = only(load(tmp_path, header + "  - {id: a, kind: message, text: A}\n"), "bad-value")

    assert (problem.line, problem.column) == (3, 17)


def test_a_language_listed_twice_is_refused(tmp_path: Path) -> None:
    header = HEADER.replace("[nl, en]", "[nl, en, nl]")
    problem = only(
        load(tmp_path, header + "  - {id: a, kind: message, text: A}\n"), "duplicate-language"
    )

    assert (problem.line, problem.column) == (3, 21)


@pytest.mark.parametrize(
    ("field", "value", "code", "words"),
    [
        ("optional", "maybe", "wrong-type", "must be true or false"),
        ("min", "one", "wrong-type", "must be a whole number"),
        ("max", "[3]", "wrong-type", "must be a whole number"),
        ("max_length", "0", "bad-value", "at least 1"),
        ("max_length", "-5", "bad-value", "at least 1"),
        ("text", "[a, b]", "wrong-type", "must be a text"),
        ("text", '""', "missing", "'text' is empty"),
    ],
)
def test_a_field_of_the_wrong_type_is_named(
    tmp_path: Path, field: str, value: str, code: str, words: str
) -> None:
    kind = {"min": "number", "max": "number", "max_length": "text"}.get(field, "text")
    text = "" if field == "text" else "text: Vraag"
    body = f"""\
        - id: q
          kind: {kind}
          {text}
          {field}: {value}
        """

    problem = only(steps(tmp_path, body), code)

    # The value, after `    <field>: `, on line 8.
    assert at(problem) == (8, 5 + len(field) + 2, "q")
    assert words in problem.message


# ---- required fields, kinds and ids ----------------------------------------------------


@pytest.mark.parametrize("missing", ["id", "kind", "text"])
def test_a_step_needs_an_id_a_kind_and_a_text(tmp_path: Path, missing: str) -> None:
    fields = {"id": "id: q", "kind": "kind: yesno", "text": "text: Vraag"}
    del fields[missing]
    body = "- {" + ", ".join(fields.values()) + "}\n"

    problem = only(steps(tmp_path, body), "missing")

    assert (problem.line, problem.column) == (5, 5)
    assert problem.message == f"this step has no '{missing}'"
    assert problem.step_id == (None if missing == "id" else "q")


def test_a_summary_needs_a_text_too(tmp_path: Path) -> None:
    problem = only(steps(tmp_path, "  - {id: summary, kind: summary}\n"), "missing")

    assert at(problem) == (5, 5, "summary")


def test_the_flow_needs_its_top_level_fields(tmp_path: Path) -> None:
    result = load(tmp_path, "id: test\nsteps:\n  - {id: a, kind: message, text: A}\n")

    missing = sorted(p.message for p in result.problems if p.code == "missing")
    assert missing == ["the flow has no 'languages'", "the flow has no 'version'"]


def test_an_unknown_kind_suggests_the_closest(tmp_path: Path) -> None:
    problem = only(steps(tmp_path, "  - {id: q, kind: yes_no, text: Vraag}\n"), "unknown-kind")

    assert at(problem) == (5, 19, "q")
    assert "did you mean 'yesno'?" in problem.message


def test_a_step_id_used_twice_is_refused(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: q
            kind: yesno
            text: Vraag
          - id: q
            kind: yesno
            text: Nog een vraag
        """,
    )

    problem = only(result, "duplicate-id")
    assert at(problem) == (8, 9, "q")
    assert "line 5" in problem.message


@pytest.mark.parametrize("bad", ["Devices", "1st", "heeft-hulp", "vraag één"])
def test_a_step_id_is_lowercase_letters_digits_and_underscores(tmp_path: Path, bad: str) -> None:
    body = f"""\
        - kind: yesno
          text: Vraag
          id: {bad}
        """

    problem = only(steps(tmp_path, body), "invalid-id")

    assert (problem.line, problem.column) == (7, 9)
    assert f"'{bad}' is not a valid step id" in problem.message


def test_a_choice_key_follows_the_same_rule(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: q
            kind: choice
            text: Vraag
            choices:
              - {key: Geen-apparaat, label: Geen}
              - {key: b, label: B}
        """,
    )

    problem = only(result, "invalid-id")
    assert at(problem) == (9, 15, "q")
    assert "not a valid choice key" in problem.message


def test_a_step_id_that_a_button_cannot_carry_is_refused_naming_the_limit(
    tmp_path: Path,
) -> None:
    fits, too_long = "s" * 48, "s" * 49
    result = steps(
        tmp_path,
        f"""\
          - {{id: {fits}, kind: yesno, text: Vraag}}
          - {{id: {too_long}, kind: yesno, text: Vraag}}
        """,
    )

    problem = only(result, "too-long")
    assert at(problem) == (6, 10, too_long)
    assert "49 characters" in problem.message
    assert "at most 48" in problem.message
    assert "64 bytes" in problem.message


def test_a_choice_key_that_a_button_cannot_carry_is_refused_naming_the_limit(
    tmp_path: Path,
) -> None:
    fits, too_long = "k" * 55, "k" * 56
    result = steps(
        tmp_path,
        f"""\
          - id: q
            kind: choice
            text: Vraag
            choices:
              - {{key: {fits}, label: A}}
              - {{key: {too_long}, label: B}}
        """,
    )

    problem = only(result, "too-long")
    assert at(problem) == (10, 15, "q")
    assert "at most 55" in problem.message


def test_a_flow_id_longer_than_the_database_keeps_is_refused(tmp_path: Path) -> None:
    result = load(tmp_path, HEADER.replace("id: test", f"id: {'f' * 65}") + FLOW_STEP)

    problem = only(result, "too-long")
    assert (problem.line, problem.column) == (1, 5)
    assert "at most 64" in problem.message
    assert load(tmp_path, HEADER.replace("id: test", f"id: {'f' * 64}") + FLOW_STEP).flow


FLOW_STEP = "  - {id: a, kind: message, text: A}\n"


def test_a_text_of_only_invisible_characters_is_empty(tmp_path: Path) -> None:
    result = steps(tmp_path, '- {id: q, kind: yesno, text: "\\u200b\\u2060"}\n')

    problem = only(result, "missing")
    assert problem.message == "'text' is empty"


@pytest.mark.parametrize(
    ("name", "value"),
    [("text", '"Hallo \\ud83d"'), ("label", '"\\udc00 A"'), ("kind", '"mes\\ud83dsage"')],
)
def test_half_an_emoji_is_refused_and_the_report_can_be_printed(
    tmp_path: Path, name: str, value: str
) -> None:
    fields = {"kind": "yesno", "text": "Vraag", "label": "Label", name: value}
    body = "- id: q\n" + "".join(f"  {key}: {text}\n" for key, text in fields.items())

    result = steps(tmp_path, body)

    assert result.flow is None
    for problem in result.problems:
        problem.format().encode("utf-8")  # a report must never fail to print
    if name != "kind":
        problem = only(result, "bad-character")
        assert problem.step_id == "q"
        assert "half of an emoji (U+D" in problem.message


# ---- choices ---------------------------------------------------------------------------


@pytest.mark.parametrize(("choice", "missing"), [("{label: A}", "key"), ("{key: a}", "label")])
def test_a_choice_needs_a_key_and_a_label(tmp_path: Path, choice: str, missing: str) -> None:
    body = f"""\
        - id: q
          kind: choice
          text: Vraag
          choices:
            - {choice}
            - {{key: b, label: B}}
        """

    problem = only(steps(tmp_path, body), "missing")

    assert at(problem) == (9, 9, "q")
    assert problem.message == f"this choice has no '{missing}'"


def test_a_choice_key_used_twice_is_refused(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: q
            kind: multi
            text: Vraag
            choices:
              - {key: a, label: A}
              - {key: a, label: Nog een A}
        """,
    )

    problem = only(result, "duplicate-choice")
    assert at(problem) == (10, 15, "q")
    assert "first on line 9" in problem.message


def test_choices_on_a_kind_that_takes_none_are_refused(tmp_path: Path) -> None:
    body = """\
        - id: q
          kind: yesno
          text: Vraag
          choices:
            - {key: a, label: A}
            - {key: b, label: B}
        """

    problem = only(steps(tmp_path, body), "misplaced")

    assert at(problem) == (8, 5, "q")
    assert "choice and multi steps" in problem.message


@pytest.mark.parametrize("kind", ["choice", "multi"])
def test_a_choice_step_needs_at_least_two_choices(tmp_path: Path, kind: str) -> None:
    body = f"""\
        - id: q
          kind: {kind}
          text: Vraag
          choices:
            - {{key: a, label: A}}
        """

    problem = only(steps(tmp_path, body), "too-few-choices")

    assert at(problem) == (9, 7, "q")


def test_a_choice_step_without_choices_is_refused(tmp_path: Path) -> None:
    problem = only(steps(tmp_path, "  - {id: q, kind: choice, text: Vraag}\n"), "too-few-choices")

    assert at(problem) == (5, 5, "q")


def test_exclusive_only_applies_in_a_multi_step(tmp_path: Path) -> None:
    result = steps(
        tmp_path,
        """\
          - id: q
            kind: choice
            text: Vraag
            choices:
              - {key: a, label: A}
              - {key: none, label: Geen, exclusive: true}
        """,
    )

    problem = only(result, "misplaced")
    assert at(problem) == (10, 34, "q")
    assert "'exclusive'" in problem.message


# ---- fields that belong to one kind ----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("yesno", "declined", "Jammer"),
        ("text", "min", "1"),
        ("choice", "max", "1"),
        ("number", "max_length", "10"),
    ],
)
def test_a_field_on_a_kind_it_does_not_belong_to_is_refused(
    tmp_path: Path, kind: str, field: str, value: str
) -> None:
    choices = "choices: [{key: a, label: A}, {key: b, label: B}]" if kind == "choice" else ""
    body = f"""\
        - id: q
          kind: {kind}
          text: Vraag
          {field}: {value}
          {choices}
        """

    problem = only(steps(tmp_path, body), "misplaced")

    assert at(problem) == (8, 5, "q")
    assert problem.message.startswith(f"'{field}' only applies to")


def test_min_may_not_exceed_max(tmp_path: Path) -> None:
    body = """\
        - id: q
          kind: number
          text: Hoeveel?
          min: 10
          max: 2
        """

    problem = only(steps(tmp_path, body), "bad-range")

    assert at(problem) == (8, 10, "q")
    assert problem.message == "'min' (10) is larger than 'max' (2)"


def test_a_multi_cannot_ask_for_more_choices_than_it_has(tmp_path: Path) -> None:
    body = """\
        - id: q
          kind: multi
          text: Welke?
          max: 3
          choices:
            - {key: a, label: A}
            - {key: b, label: B}
        """

    problem = only(steps(tmp_path, body), "bad-range")

    assert at(problem) == (8, 10, "q")
    assert "between 1 and 2" in problem.message


def test_the_source_language_must_be_one_of_the_languages(tmp_path: Path) -> None:
    header = HEADER.replace("languages:", "source_language: de\nlanguages:")

    problem = only(load(tmp_path, header + "  - {id: a, kind: message, text: A}\n"), "bad-value")

    assert (problem.line, problem.column) == (3, 18)
    assert "'de'" in problem.message


def test_a_flow_has_at_most_one_summary(tmp_path: Path) -> None:
    body = "  - {id: one, kind: summary, text: A}\n  - {id: two, kind: summary, text: B}\n"

    problem = only(steps(tmp_path, body), "misplaced")

    assert at(problem) == (6, 5, "two")
    assert "line 5" in problem.message


# ---- conditions ------------------------------------------------------------------------

ASKED = """\
- id: help
  kind: yesno
  text: Hulp?
- id: devices
  kind: multi
  text: Welke?
  choices:
    - {key: laptop, label: Laptop}
    - {key: none, label: Geen}
- id: grade
  kind: choice
  text: Groep?
  choices:
    - {key: groep_1, label: Groep 1}
    - {key: groep_2, label: Groep 2}
- id: children
  kind: number
  text: Hoeveel?
- id: hello
  kind: message
  text: Hallo
"""
# ASKED takes lines 5-25, so a step after it starts on line 26 and its `when` is line 28.


def conditioned(tmp_path: Path, when: str) -> LoadResult:
    """Load ASKED followed by a step `q` whose condition is `when`, on line 28."""
    question = f"""\
        - id: q
          kind: yesno
          when: {when}
          text: Vraag
        """
    return steps(tmp_path, ASKED + textwrap.dedent(question))


def test_every_condition_operator_is_accepted(tmp_path: Path) -> None:
    when = (
        "(help == no or help != yes) and devices has none and not grade in [groep_1]"
        " and grade not in (groep_2) and children >= 2 and children < 9"
    )
    result = conditioned(tmp_path, when)

    assert result.problems == []
    assert result.flow is not None


def test_a_condition_that_does_not_parse_points_at_the_mistake(tmp_path: Path) -> None:
    result = conditioned(tmp_path, "help = no")

    problem = only(result, "bad-condition")
    # `when: ` ends at column 10; the '=' is 5 characters into the condition.
    assert at(problem) == (28, 16, "q")
    assert "'='" in problem.message
    assert "'=='" in problem.message


def test_a_quoted_condition_points_inside_the_quotes(tmp_path: Path) -> None:
    problem = only(conditioned(tmp_path, '"help = no"'), "bad-condition")

    assert (problem.line, problem.column) == (28, 17)


def test_a_folded_condition_points_at_its_start(tmp_path: Path) -> None:
    question = """\
        - id: q
          kind: yesno
          when: >-
            help ==
            = no
          text: Vraag
        """
    body = ASKED + textwrap.dedent(question)

    problem = only(steps(tmp_path, body), "bad-condition")

    assert (problem.line, problem.column) == (28, 11)


def test_a_condition_on_an_unknown_step_suggests_the_closest(tmp_path: Path) -> None:
    problem = only(conditioned(tmp_path, "not devicse has none"), "bad-reference")

    assert at(problem) == (28, 15, "q")
    assert "'devicse', which does not exist (did you mean 'devices'?)" in problem.message


def test_a_condition_on_a_later_step_is_refused(tmp_path: Path) -> None:
    body = ASKED.replace("  text: Hulp?\n", "  text: Hulp?\n  when: children > 2\n")

    problem = only(steps(tmp_path, body), "bad-reference")

    assert at(problem) == (8, 11, "help")
    assert "comes later (line 21)" in problem.message


def test_a_condition_on_its_own_step_is_refused(tmp_path: Path) -> None:
    problem = only(conditioned(tmp_path, "help == no or q == yes"), "bad-reference")

    assert at(problem) == (28, 25, "q")
    assert "this step itself" in problem.message


def test_a_condition_on_a_step_without_an_answer_is_refused(tmp_path: Path) -> None:
    problem = only(conditioned(tmp_path, "hello == yes"), "bad-reference")

    assert at(problem) == (28, 11, "q")
    assert "message step and stores no answer" in problem.message


@pytest.mark.parametrize(
    ("when", "code", "words"),
    [
        ("grade == groep_9", "bad-literal", "'groep_9' is not a choice key of step 'grade'"),
        ("devices has laptops", "bad-literal", "did you mean 'laptop'?"),
        ("help == ja", "bad-literal", "compare it with yes or no, not 'ja'"),
        ("children == veel", "bad-literal", "compare it with a whole number"),
        ("grade in [groep_1, 3]", "bad-literal", "'3' is not a choice key"),
        ("grade has groep_1", "bad-condition", "write grade == groep_1 instead"),
        ("devices == none", "bad-condition", "test it with 'has', as in devices has none"),
        ("grade > 3", "bad-condition", "'>' compares numbers, but 'grade' is a choice step"),
    ],
)
def test_a_condition_must_compare_with_what_the_step_can_hold(
    tmp_path: Path, when: str, code: str, words: str
) -> None:
    problem = only(conditioned(tmp_path, when), code)

    assert at(problem) == (28, 11, "q")
    assert words in problem.message


def test_a_problem_in_a_later_test_points_at_that_test(tmp_path: Path) -> None:
    problem = only(conditioned(tmp_path, "help == no and grade == groep_9"), "bad-literal")

    assert (problem.line, problem.column) == (28, 26)


# ---- folders ---------------------------------------------------------------------------

FLOW = "id: {id}\nversion: 1\nlanguages: [nl]\nsteps:\n  - {{id: a, kind: message, text: A}}\n"


def test_a_folder_loads_every_yaml_file_in_name_order(tmp_path: Path) -> None:
    for name in ("b", "a", "c"):
        (tmp_path / f"{name}.yaml").write_text(FLOW.format(id=f"flow_{name}"), encoding="utf-8")

    flows = load_flows(tmp_path)

    assert flows.problems == []
    assert [p.name for p in flows.files] == ["a.yaml", "b.yaml", "c.yaml"]
    assert sorted(flows.flows) == ["flow_a", "flow_b", "flow_c"]


def test_two_files_with_the_same_flow_id_are_both_refused_naming_each_other(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.yaml").write_text(FLOW.format(id="same"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(FLOW.format(id="same"), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(FLOW.format(id="other"), encoding="utf-8")

    flows = load_flows(tmp_path)

    first, second = flows.problems
    assert (first.code, second.code) == ("duplicate-flow", "duplicate-flow")
    assert (first.file, second.file) == (str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert (first.line, first.column) == (1, 5)
    assert str(tmp_path / "b.yaml") in first.message
    assert str(tmp_path / "a.yaml") in second.message
    assert list(flows.flows) == ["other"]


def test_a_yml_file_is_named_rather_than_silently_ignored(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(FLOW.format(id="a"), encoding="utf-8")
    (tmp_path / "b.yml").write_text(FLOW.format(id="b"), encoding="utf-8")

    [problem] = load_flows(tmp_path).problems

    assert (problem.code, problem.severity) == ("not-a-flow-file", "warning")
    assert "b.yml" in problem.message


def test_a_folder_without_flows_is_a_problem(tmp_path: Path) -> None:
    [problem] = load_flows(tmp_path).problems

    assert problem.code == "no-flows"


def test_one_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: [", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(FLOW.format(id="b"), encoding="utf-8")

    flows = load_flows(tmp_path)

    assert list(flows.flows) == ["b"]
    assert [p.code for p in flows.problems] == ["syntax"]


# ---- hostile input ---------------------------------------------------------------------


def test_binary_junk_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "junk.yaml"
    path.write_bytes(bytes(random.Random(7).randrange(256) for _ in range(4096)))

    result = load_flow(path)

    assert result.flow is None
    assert [p.code for p in result.problems] == ["unreadable"]


def test_a_control_character_is_named_with_its_place(tmp_path: Path) -> None:
    problem = only(load(tmp_path, "id: test\ntitle: a\x07b\n"), "syntax")

    assert (problem.line, problem.column) == (2, 9)
    assert "U+0007" in problem.message


def test_a_huge_file_is_refused_without_being_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * (5 * 1024 * 1024) + b"\n")

    problem = only(load_flow(path), "too-large")

    assert "too large" in problem.message


@pytest.mark.parametrize(
    "source",
    [
        "[" * 100_000,
        "steps: " + "[" * 5_000 + "]" * 5_000,
        "".join(" " * i + f"k{i}:\n" for i in range(500)),
        "".join(" " * (2 * i) + "- \n" for i in range(500)),
    ],
    ids=["unclosed", "brackets", "mappings", "lists"],
)
def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path, source: str) -> None:
    result = load(tmp_path, source)

    problem = only(result, "too-deep")
    # Found where the limit is crossed, not after reading to the end.
    assert problem.line <= 21


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    # "Billion laughs": nine levels of nine aliases each would mean 9**9 texts.
    lines = ['a0: &a0 "lol"']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    source = "\n".join(lines) + "\nid: test\nversion: 1\nlanguages: [nl]\nsteps: *a9\n"

    problem = only(load(tmp_path, source), "alias")

    assert (problem.line, problem.column) == (2, 10)
    assert "found 82" in problem.message


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    problem = only(load(tmp_path, "id: &me [*me]\n"), "alias")

    assert (problem.line, problem.column) == (1, 10)


def test_a_python_tag_is_never_run(tmp_path: Path) -> None:
    source = HEADER + '  - id: !!python/object/apply:os.system ["touch pwned"]\n'

    result = load(tmp_path, source)

    assert result.flow is None
    assert not (tmp_path / "pwned").exists()
    assert "wrong-type" in {p.code for p in result.problems}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2_000))
def test_any_bytes_give_a_result(data: bytes) -> None:
    result = parse_flow(data, "fuzz.yaml")

    assert (result.flow is None) == any(p.is_error for p in result.problems)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_any_damage_to_the_default_flow_gives_a_result(data: st.DataObject) -> None:
    lines = DEFAULT_FLOW.read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        replacement = data.draw(
            st.sampled_from(["", "  ", "- x\n", lines[index][1:], "    x: [\n"])
        )
        lines[index] = replacement

    result = parse_flow("".join(lines).encode(), "damaged.yaml")

    for problem in result.problems:
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message


# ---- the JSON schema editors use -------------------------------------------------------

SCHEMA_PATH = ROOT / "flows" / "flow.schema.json"


def schema_errors(source: str) -> list[str]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    return [error.message for error in validator.iter_errors(yaml.safe_load(source))]


def test_the_schema_is_a_valid_schema() -> None:
    Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_the_schema_flags_ids_and_texts_as_long_as_the_check_does() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    step, choice = schema["$defs"]["step"]["properties"], schema["$defs"]["choice"]["properties"]

    assert schema["properties"]["id"]["maxLength"] == LONGEST_FLOW_ID
    assert step["id"]["maxLength"] == longest_step_id()
    assert choice["key"]["maxLength"] == longest_choice_key()
    assert schema["$defs"]["text"]["maxLength"] == TELEGRAM_TEXT_LIMIT


def test_the_default_flow_points_editors_at_the_schema() -> None:
    first = DEFAULT_FLOW.read_text(encoding="utf-8").splitlines()[0]

    assert first == "# yaml-language-server: $schema=./flow.schema.json"


@pytest.mark.parametrize("path", [DEFAULT_FLOW, EVERY_KIND], ids=["default", "every_kind"])
def test_valid_flows_match_the_schema(path: Path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "step",
    [
        "{id: q, kind: yesno, text: Vraag, choises: []}",
        "{id: q, kind: yesno}",
        "{id: q, kind: yes_no, text: Vraag}",
        "{id: Q, kind: yesno, text: Vraag}",
        "{id: q, kind: yesno, text: Vraag, choices: [{key: a, label: A}, {key: b, label: B}]}",
        "{id: q, kind: choice, text: Vraag, choices: [{key: a, label: A}]}",
        "{id: q, kind: choice, text: V, choices: [{key: a, label: A, exclusive: true},"
        " {key: b, label: B}]}",
        "{id: q, kind: text, text: Vraag, min: 1}",
        "{id: q, kind: number, text: Vraag, max_length: 10}",
        "{id: q, kind: yesno, text: Vraag, declined: Jammer}",
        "{id: q, kind: text, text: Vraag, max_length: 0}",
        "{id: q, kind: yesno, text: Vraag, optional: maybe}",
    ],
)
def test_the_schema_and_the_loader_both_refuse_a_broken_step(tmp_path: Path, step: str) -> None:
    source = HEADER + f"  - {step}\n"

    assert schema_errors(source) != []
    assert load(tmp_path, source).flow is None


def test_the_schema_refuses_an_unknown_top_level_key() -> None:
    source = (
        HEADER.replace("version: 1", "version: 1\nverion: 2")
        + "  - {id: a, kind: message, text: A}\n"
    )

    assert schema_errors(source) == [
        "Additional properties are not allowed ('verion' was unexpected)"
    ]
