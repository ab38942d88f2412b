"""The flow checker: a flow goes live only when every text has a translation."""

from __future__ import annotations

import textwrap
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.flowfiles import Problem, check_paths, format_report
from bot.i18n.catalogs import po_path

ROOT = Path(__file__).resolve().parents[2]

FLOW = """\
id: tiny
version: 1
source_language: nl
languages: [nl, en]
steps:
  - id: consent
    kind: consent
    label: Toestemming
    text: Doet u mee?
    declined: Jammer.
  - id: internet
    kind: choice
    text: Hoe is uw internet?
    choices:
      - {key: good, label: Goed}
      - {key: none, label: Geen internet}
"""
# (context, Dutch text) of every text above, with the line it is on.
TEXTS = {
    ("tiny:consent", "Toestemming"): 8,
    ("tiny:consent", "Doet u mee?"): 9,
    ("tiny:consent", "Jammer."): 10,
    ("tiny:internet", "Hoe is uw internet?"): 13,
    ("tiny:internet:good", "Goed"): 15,
    ("tiny:internet:none", "Geen internet"): 16,
}


def write_flow(folder: Path, source: str = FLOW, name: str = "tiny.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def write_catalog(
    locales: Path,
    language: str,
    translated: dict[tuple[str, str], str],
    fuzzy: frozenset[tuple[str, str]] = frozenset(),
) -> None:
    catalog = Catalog(locale=language, domain="ouderbrug")
    for (context, source), translation in translated.items():
        flags = ["fuzzy"] if (context, source) in fuzzy else []
        catalog.add(source, translation, context=context, flags=flags)
    path = po_path(locales, language)
    path.parent.mkdir(parents=True)
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog)


def all_translated() -> dict[tuple[str, str], str]:
    return {key: f"EN {key[1]}" for key in TEXTS}


def untranslated(problems: list[Problem]) -> list[tuple[int, int, str | None]]:
    return [(p.line, p.column, p.step_id) for p in problems if p.code == "untranslated"]


def test_a_fully_translated_flow_has_no_problems(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows")
    write_catalog(tmp_path / "locales", "en", all_translated())

    assert check_paths([flow], tmp_path / "locales") == []


def test_each_untranslated_text_is_named_by_line_and_step(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows")
    translated = all_translated()
    del translated[("tiny:consent", "Jammer.")]
    del translated[("tiny:internet:none", "Geen internet")]
    write_catalog(tmp_path / "locales", "en", translated)

    problems = check_paths([flow], tmp_path / "locales")

    assert untranslated(problems) == [(10, 15, "consent"), (16, 28, "internet")]
    assert problems[0].severity == "error"
    assert problems[0].message == "the declined text 'Jammer.' has no English (en) translation"
    assert problems[1].message == (
        "the label 'Geen internet' of choice 'none' has no English (en) translation"
    )


def test_an_empty_translation_counts_as_missing(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows")
    translated = all_translated()
    translated[("tiny:internet", "Hoe is uw internet?")] = ""
    write_catalog(tmp_path / "locales", "en", translated)

    assert untranslated(check_paths([flow], tmp_path / "locales")) == [(13, 11, "internet")]


def test_a_fuzzy_translation_is_not_good_enough(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows")
    key = ("tiny:consent", "Toestemming")
    write_catalog(tmp_path / "locales", "en", all_translated(), fuzzy=frozenset({key}))

    [problem] = check_paths([flow], tmp_path / "locales")

    assert (problem.line, problem.step_id, problem.code) == (8, "consent", "untranslated")
    assert "marked fuzzy" in problem.message


def test_a_translation_under_another_context_does_not_count(tmp_path: Path) -> None:
    # "Geen internet" translated for another flow says nothing about this one.
    flow = write_flow(tmp_path / "flows")
    translated = all_translated()
    del translated[("tiny:internet:none", "Geen internet")]
    translated[("other:internet:none", "Geen internet")] = "No internet"
    write_catalog(tmp_path / "locales", "en", translated)

    assert untranslated(check_paths([flow], tmp_path / "locales")) == [(16, 28, "internet")]


def test_a_label_that_is_never_shown_needs_no_translation(tmp_path: Path) -> None:
    flow = write_flow(
        tmp_path / "flows",
        FLOW.replace(
            "  - id: internet",
            "  - {id: hi, kind: message, label: Hoi, text: Hallo}\n  - id: internet",
        ),
    )
    write_catalog(tmp_path / "locales", "en", all_translated() | {("tiny:hi", "Hallo"): "Hello"})

    [problem] = check_paths([flow], tmp_path / "locales")

    assert (problem.code, problem.severity, problem.step_id) == ("unused", "warning", "hi")


def test_a_language_without_a_catalog_is_one_problem_at_its_code(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows", FLOW.replace("[nl, en]", "[nl, en, ar]"))
    write_catalog(tmp_path / "locales", "en", all_translated())

    [problem] = check_paths([flow], tmp_path / "locales")

    assert (problem.line, problem.column, problem.code) == (4, 21, "no-catalog")
    assert "Arabic (ar)" in problem.message
    assert str(po_path(tmp_path / "locales", "ar")) in problem.message


def test_an_unreadable_catalog_is_one_problem_in_that_catalog(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows")
    write_flow(tmp_path / "flows", FLOW.replace("id: tiny", "id: other"), name="other.yaml")
    catalog = po_path(tmp_path / "locales", "en")
    catalog.parent.mkdir(parents=True)
    catalog.write_bytes(b'msgid "Goed"\nmsgstr "\xff\xfe"\n')

    [problem] = check_paths([flow.parent], tmp_path / "locales")

    assert (problem.file, problem.line, problem.code) == (str(catalog), 1, "unreadable")
    assert "not saved as UTF-8" in problem.message


def test_the_source_language_needs_no_catalog(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows", FLOW.replace("[nl, en]", "[nl]"))

    assert check_paths([flow], tmp_path / "locales") == []


def test_a_broken_flow_reports_its_mistakes_and_no_translations(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows", FLOW.replace("kind: choice", "kind: choise"))

    problems = check_paths([flow], tmp_path / "locales")

    assert [(p.code, p.line, p.step_id) for p in problems] == [
        ("unknown-kind", 12, "internet"),
    ]


def test_folders_and_files_are_checked_once_each(tmp_path: Path) -> None:
    folder = tmp_path / "flows"
    flow = write_flow(folder)
    write_flow(folder, FLOW.replace("id: tiny", "id: other"), name="other.yaml")

    problems = check_paths([folder, flow], tmp_path / "locales")

    assert [(Path(p.file).name, p.code) for p in problems] == [
        ("other.yaml", "no-catalog"),
        ("tiny.yaml", "no-catalog"),
    ]


def test_the_same_flow_id_in_two_places_is_refused(tmp_path: Path) -> None:
    first = write_flow(tmp_path / "a")
    second = write_flow(tmp_path / "b")
    write_catalog(tmp_path / "locales", "en", all_translated())

    problems = check_paths([first, second], tmp_path / "locales")

    assert [(p.file, p.code) for p in problems] == [
        (str(first), "duplicate-flow"),
        (str(second), "duplicate-flow"),
    ]
    assert str(second) in problems[0].message
    assert str(first) in problems[1].message


def test_a_missing_path_is_a_problem(tmp_path: Path) -> None:
    [problem] = check_paths([tmp_path / "nowhere.yaml"], tmp_path / "locales")

    assert problem.code == "unreadable"


def test_the_default_flow_needs_a_catalog_for_each_language(tmp_path: Path) -> None:
    problems = check_paths([ROOT / "flows"], tmp_path / "locales")

    assert [(p.code, p.line) for p in problems] == [("no-catalog", 10)] * 5
    assert [p.message.split(" translations")[0] for p in problems] == [
        "there are no English (en)",
        "there are no Arabic (ar)",
        "there are no Turkish (tr)",
        "there are no Polish (pl)",
        "there are no Ukrainian (uk)",
    ]


def test_the_report_ends_with_a_count() -> None:
    error = Problem(
        "flows/x.yaml", 12, 5, "devices", "unknown key 'choises'", "error", "unknown-key"
    )
    warning = Problem("flows/x.yaml", 3, 1, None, "'label' is never shown", "warning", "unused")

    report = format_report([error, warning])

    assert report.splitlines() == [
        "flows/x.yaml:12:5: [step devices] unknown key 'choises'",
        "flows/x.yaml:3:1: warning: 'label' is never shown",
        "Found 1 error and 1 warning.",
    ]
    assert format_report([error, error]).endswith("\nFound 2 errors.")
    assert format_report([warning]).endswith("\nFound 1 warning.")
    assert format_report([]) == "No problems found."


# ---- what Telegram accepts ---------------------------------------------------------------


def with_text(step: str, text: str) -> str:
    """Return FLOW with one step's text replaced."""
    old = {"consent": "text: Doet u mee?", "internet": "text: Hoe is uw internet?"}[step]
    return FLOW.replace(old, f"text: {text}")


def too_long(problems: list[Problem]) -> list[tuple[int, str | None]]:
    return [(p.line, p.step_id) for p in problems if p.code == "too-long"]


def test_a_text_that_fits_alone_but_not_with_progress_and_hint_is_refused(
    tmp_path: Path,
) -> None:
    # 4090 characters fit in a message; with "Vraag 1 van 2" and the hint they do not.
    text = "a" * 4090
    flow = write_flow(tmp_path / "flows", with_text("internet", text).replace("[nl, en]", "[nl]"))

    problems = check_paths([flow], tmp_path / "locales")

    assert too_long(problems) == [(13, "internet")]
    [problem] = problems
    assert problem.column == 11
    assert "Dutch (nl)" in problem.message
    assert "4096" in problem.message
    assert problem.severity == "error"


def test_a_translation_that_makes_the_question_too_long_is_refused(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows")
    translated = all_translated()
    translated[("tiny:internet", "Hoe is uw internet?")] = "How " * 1020
    write_catalog(tmp_path / "locales", "en", translated)

    problems = check_paths([flow], tmp_path / "locales")

    assert too_long(problems) == [(13, "internet")]
    assert "English (en)" in problems[0].message


def test_a_summary_that_long_answers_push_past_the_limit_is_refused(tmp_path: Path) -> None:
    remarks = "".join(
        f"  - {{id: remark_{n}, kind: text, max_length: 1000, text: Opmerking {n}}}\n"
        for n in range(4)
    )
    summary = "  - {id: check, kind: summary, text: Klopt het}\n"
    source = FLOW.replace("[nl, en]", "[nl]") + remarks + summary
    flow = write_flow(tmp_path / "flows", source)

    problems = check_paths([flow], tmp_path / "locales")

    assert too_long(problems) == [(21, "check")]
    assert "every answer as long as allowed" in problems[0].message


def test_a_broken_translation_of_a_flow_text_refuses_the_flow(tmp_path: Path) -> None:
    flow = write_flow(tmp_path / "flows")
    translated = all_translated()
    translated[("tiny:internet", "Hoe is uw internet?")] = "x" * 5000
    write_catalog(tmp_path / "locales", "en", translated)

    problems = check_paths([flow], tmp_path / "locales")

    broken = [p for p in problems if p.code == "broken-translation"]
    assert [(p.line, p.step_id) for p in broken] == [(13, "internet")]
    assert "English (en)" in broken[0].message
    assert "5000 characters" in broken[0].message


def test_the_longest_ids_and_keys_allowed_fit_in_every_button(tmp_path: Path) -> None:
    step_id, key = "s" * 48, "k" * 55
    source = (
        FLOW.replace("[nl, en]", "[nl]")
        .replace("id: internet", f"id: {step_id}")
        .replace("key: good", f"key: {key}")
        + "  - {id: check, kind: summary, text: Klopt het}\n"
    )
    flow = write_flow(tmp_path / "flows", source)

    assert check_paths([flow], tmp_path / "locales") == []


def test_the_values_the_bot_fills_in_are_accepted_and_a_misspelt_one_is_named(
    tmp_path: Path,
) -> None:
    source = FLOW.replace(
        "text: Doet u mee?",
        "text: Wij zijn {organisation}; wij wissen na {retention_days} dagen ({organistion}).",
    )
    flow = write_flow(tmp_path / "flows", source)
    translated = all_translated()
    del translated[("tiny:consent", "Doet u mee?")]
    text = "Wij zijn {organisation}; wij wissen na {retention_days} dagen ({organistion})."
    translated[("tiny:consent", text)] = "We are {organisation}, we delete after 90 days."
    write_catalog(tmp_path / "locales", "en", translated)

    problems = check_paths([flow], tmp_path / "locales")

    assert [(p.code, p.line, p.step_id) for p in problems] == [
        ("unknown-placeholder", 9, "consent"),
        ("placeholder-mismatch", 9, "consent"),
    ]
    assert "{organistion}" in problems[0].message
    assert "{organisation}, {privacy_url}" in problems[0].message
    assert "missing: {retention_days}" in problems[1].message
