"""`ouderbrug flows import`: XLSForms become flows that pass the check and walk in the preview."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).parent.parent.parent
SURVEYS = ROOT.parent / "shared" / "data" / "surveys"
BIOMASS = SURVEYS / "pyxform_UCL_Biomass_Plot_Form_sw_en.xlsx"


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """Return a folder with flows/ (empty) and a copy of the project's catalogs."""
    (tmp_path / "flows").mkdir()
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    return tmp_path


# The answer to "another child?" after the last question of a flow without a school
# step (1: another child at a different school, 2: no, that is all).
NO_OTHER_CHILD = "2\n"
STORED = "--- stored answers (child 1) ---\n"


def bot(
    place: Path, *args: str, stdin: str = "", languages: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the bot on the place's folders; `languages` is the installation's LANGUAGES."""
    env = {
        **os.environ,
        # The bot of this checkout, whichever one the environment has installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYTHONIOENCODING": "utf-8",
        "FLOWS_DIR": str(place / "flows"),
        "LOCALES_DIR": str(place / "locales"),
        "LANGUAGES": languages,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=place,
        check=False,
        timeout=120,
    )


def write_form(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_shared_form_passes_the_check_and_walks_in_both_its_languages(place: Path) -> None:
    result = bot(place, "flows", "import", str(BIOMASS), "--id", "biomass")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "sheet survey, row 32, column A (type): the repeat 'trees'" in result.stdout
    assert (
        "row 22, column A (type): the question type 'geopoint' has no equivalent" in result.stdout
    )
    assert "Swahili (sw) is not yet a language parents can pick: add it to LANGUAGES" in (
        result.stdout
    )
    assert (place / "locales" / "sw" / "LC_MESSAGES" / "ouderbrug.po").is_file()
    # Not offered until the coordinator does what the import says.
    refused = bot(place, "chat", "--flow", "biomass", "--lang", "sw")
    assert refused.returncode == 2
    assert "not in 'sw'" in refused.stderr
    languages = "nl,en,ar,tr,pl,uk,sw"
    assert bot(place, "flows", "check", languages=languages).returncode == 0
    for language, question in (("sw", "Jina Lako"), ("en", "Your Name")):
        # The first answer to each of the 40 questions the walk asks, then no other child.
        answers = "1\n" * 40 + NO_OTHER_CHILD
        walked = bot(
            place,
            "chat",
            "--flow",
            "biomass",
            "--lang",
            language,
            stdin=answers,
            languages=languages,
        )
        assert walked.returncode == 0, walked.stdout[-2000:] + walked.stderr
        assert question in walked.stdout
        stored = walked.stdout.split(STORED)[1]
        assert "leader_name: aloyce" in stored
        # Not "other": the question the form shows only then is not asked.
        assert "leader_name_other" not in stored


SURVEY: list[list[object]] = [
    [
        "type",
        "name",
        "label::Nederlands (nl)",
        "label::English (en)",
        "hint::Nederlands (nl)",
        "hint::English (en)",
        "required",
        "relevant",
        "constraint",
        "appearance",
        "calculation",
    ],
    ["note", "hallo", "Welkom!", "Welcome!"],
    ["select_one yn", "laptop", "Heeft u een laptop?", "Do you have a laptop?", None, None, "yes"],
    [
        "select_multiple dev",
        "devices",
        "Welke apparaten?",
        "Which devices?",
        "Kies alles",
        "Pick all",
        "yes",
        "${laptop} = 'no'",
    ],
    [
        "integer",
        "kids",
        "Hoeveel kinderen?",
        "How many children?",
        None,
        None,
        "yes",
        None,
        ". >= 1 and . <= 12",
    ],
    [
        "text",
        "why",
        "Waarom?",
        "Why?",
        None,
        None,
        None,
        "not(selected(${devices}, 'none')) and (${kids} > 2 or ${laptop} != 'yes')",
        None,
        "multiline",
    ],
    ["begin group", "extra", "Meer", "More", None, None, None, "${kids} >= 3"],
    ["decimal", "hours", "Hoeveel uur?", "How many hours?"],
    ["end group"],
    ["calculate", "total", None, None, None, None, None, None, None, None, "1 + 1"],
]
CHOICES = [
    ["list_name", "name", "label::Nederlands (nl)", "label::English (en)"],
    ["yn", "yes", "Ja", "Yes"],
    ["yn", "no", "Nee", "No"],
    ["dev", "tablet", "Tablet", "Tablet"],
    ["dev", "none", "Geen", "None"],
]
SETTINGS = [["form_id", "form_title", "version"], ["laptops", "Laptops", "3"]]


def test_a_written_form_carries_its_types_conditions_ranges_and_translations(
    place: Path, tmp_path: Path
) -> None:
    form = write_form(
        tmp_path / "laptops.xlsx", {"survey": SURVEY, "choices": CHOICES, "settings": SETTINGS}
    )

    result = bot(place, "flows", "import", str(form))

    assert result.returncode == 0, result.stdout
    flow = (place / "flows" / "laptops.yaml").read_text(encoding="utf-8")
    assert "languages: [nl, en]" in flow
    assert "when: laptop == no" in flow
    assert "when: not (devices has none) and (kids > 2 or laptop != yes)" in flow
    assert "min: 1\n    max: 12" in flow
    assert "when: kids >= 3" in flow
    assert "row 8, column A (type): a decimal is asked as a typed answer" in result.stdout
    assert "row 6, column J (appearance): 'multiline' is not carried over" in result.stdout
    assert "row 10, column A (type): 'total' is a calculation" in result.stdout
    english = (place / "locales" / "en" / "LC_MESSAGES" / "ouderbrug.po").read_text("utf-8")
    devices = (
        'msgctxt "laptops:devices"\nmsgid ""\n"Welke apparaten?\\n"\n"Kies alles"\n'
        'msgstr ""\n"Which devices?\\n"\n"Pick all"'
    )
    assert devices in english
    assert 'msgctxt "laptops:laptop:no"\nmsgid "Nee"\nmsgstr "No"' in english
    walked = bot(
        place, "chat", "--flow", "laptops", "--lang", "en", stdin="1\n2\n" + NO_OTHER_CHILD
    )
    assert walked.returncode == 0, walked.stderr
    assert "Do you have a laptop?" in walked.stdout
    stored = walked.stdout.split(STORED)[1].splitlines()
    assert stored == ["laptop: yes", "kids: 2"]


def test_a_broken_form_is_named_row_by_row_and_writes_nothing(place: Path, tmp_path: Path) -> None:
    survey = [
        ["type", "name", "label"],
        ["select_one colours", "colour", "Kleur?"],
        ["text", "naam", "Naam?"],
        ["text", "naam", "Nog eens uw naam?"],
    ]
    form = write_form(tmp_path / "kapot.xlsx", {"survey": survey, "choices": CHOICES})
    before = tree(place)

    result = bot(place, "flows", "import", str(form))

    assert result.returncode == 1
    assert "Nothing was written" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert tree(place) == before


def test_a_form_without_a_survey_sheet_writes_nothing(place: Path, tmp_path: Path) -> None:
    form = write_form(tmp_path / "leeg.xlsx", {"choices": CHOICES, "settings": SETTINGS})
    before = tree(place)

    result = bot(place, "flows", "import", str(form))

    assert result.returncode == 1
    assert "Nothing was written" in result.stdout
    assert tree(place) == before


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("form.xlsx", b"\x00not a workbook", "not a spreadsheet pyxform can read"),
        (
            "export.json",
            b'{"version": "13", "flows": []}',
            "the export holds no flow",
        ),
        ("form.survey.csv", b"type,name,label\ntext,naam,Naam?\n", "not pyxform's one-file form"),
        ("missing.xlsx", None, "there is no file"),
    ],
)
def test_a_file_that_is_no_xlsform_is_refused_in_a_sentence(
    place: Path, name: str, content: bytes | None, why: str
) -> None:
    path = place / name
    if content is not None:
        path.write_bytes(content)

    result = bot(place, "flows", "import", str(path))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert why in result.stdout
    assert "Nothing was written" in result.stdout


def readme_example() -> tuple[list[list[list[str]]], str]:
    """Return the sheets of flows/README.md's worked example and the flow file it shows."""
    text = (ROOT / "flows" / "README.md").read_text(encoding="utf-8")
    section = text.split("### A worked example")[1].split("### What is carried over")[0]
    tables: list[list[list[str]]] = []
    for block in section.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
            tables.append([cells[0], *cells[2:]])
    flow = section.split("now reads:\n\n```yaml\n")[1].split("```")[0]
    return tables, flow


def readme_output() -> str:
    """Return what flows/README.md's worked example shows the import printing."""
    text = (ROOT / "flows" / "README.md").read_text(encoding="utf-8")
    return text.split("ouderbrug flows import laptops.xlsx\n```\n\n```\n")[1].split("```")[0]


def test_the_worked_example_of_the_readme_imports_as_it_shows(place: Path, tmp_path: Path) -> None:
    (survey, choices, settings), shown = readme_example()
    form = write_form(
        tmp_path / "laptops.xlsx", {"survey": survey, "choices": choices, "settings": settings}
    )

    result = bot(place, "flows", "import", str(form))

    assert result.returncode == 0, result.stdout
    assert result.stdout == readme_output()
    assert (place / "flows" / "laptops.yaml").read_text(encoding="utf-8") == shown
    walked = bot(
        place, "chat", "--flow", "laptops", "--lang", "ar", stdin="1\n3\n1 2\n" + NO_OTHER_CHILD
    )
    assert walked.returncode == 0, walked.stderr
    assert "كم طفلاً يتشاركون هذا الحاسوب؟" in walked.stdout
    stored = walked.stdout.split(STORED)[1].splitlines()
    assert stored == ["laptop: ja", "kinderen: 3", "hulp: [lenen, internet]"]


def test_a_translators_own_translation_survives_a_second_import(
    place: Path, tmp_path: Path
) -> None:
    (survey, choices, settings), _ = readme_example()
    form = write_form(
        tmp_path / "laptops.xlsx", {"survey": survey, "choices": choices, "settings": settings}
    )
    assert bot(place, "flows", "import", str(form)).returncode == 0
    catalog = place / "locales" / "en" / "LC_MESSAGES" / "ouderbrug.po"
    edited = catalog.read_text("utf-8").replace(
        'msgstr "Borrow a laptop"', 'msgstr "Lend a laptop"'
    )
    catalog.write_text(edited, "utf-8")

    again = bot(place, "flows", "import", str(form), "--replace")

    assert again.returncode == 0, again.stdout
    assert "kept the catalog's own translation of laptops:hulp:lenen" in again.stdout
    assert 'msgstr "Lend a laptop"' in catalog.read_text("utf-8")
    refused = bot(place, "flows", "import", str(form))
    assert refused.returncode == 1
    assert "already exists" in refused.stdout
    (place / "flows" / "laptops.yaml").rename(place / "flows" / "oud.yaml")
    taken = bot(place, "flows", "import", str(form))
    assert taken.returncode == 1
    assert "oud.yaml already holds a flow with the id 'laptops'" in taken.stdout


def test_a_flow_the_check_would_refuse_is_taken_back_whole(place: Path, tmp_path: Path) -> None:
    survey = [
        ["type", "name", "label::Nederlands (nl)", "label::Swahili (sw)"],
        ["text", "lang", "Vertel " * 800, "Niambie " * 800],
    ]
    form = write_form(tmp_path / "lang.xlsx", {"survey": survey})
    before = tree(place)

    result = bot(place, "flows", "import", str(form))

    assert result.returncode == 1
    assert "Telegram sends at most 4096" in result.stdout
    assert "Nothing was written" in result.stdout
    assert tree(place) == before
    assert not (place / "locales" / "sw").exists()


def test_the_shared_spec_form_offers_only_its_complete_language(place: Path) -> None:
    form = SURVEYS / "pyxform_xlsform_spec_test_en_zh.xlsx"

    result = bot(place, "flows", "import", str(form))

    assert result.returncode == 0, result.stdout
    assert (
        "have no 'zh' translation in the form, so the flow is not offered in 'zh'" in result.stdout
    )
    assert "row 3, column A (type): the group 'everything'" in result.stdout
    assert "row 42, column A (type): 'start' is 'start', which a device records" in result.stdout
    assert "languages: [en]" in (place / "flows" / "spec_test.yaml").read_text("utf-8")
    # Not skipping to the end, then "1" to each of the 17 questions left, then no other child.
    answers = "2\n" + "1\n" * 17 + NO_OTHER_CHILD
    walked = bot(place, "chat", "--flow", "spec_test", "--lang", "en", stdin=answers)
    assert walked.returncode == 0, walked.stderr
    stored = walked.stdout.split(STORED)[1]
    assert "skip_to_end: no" in stored
    assert "my_name: 1" in stored
