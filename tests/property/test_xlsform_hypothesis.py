"""Arbitrary XLSForms, sensible and not, through `flows import`.

Whatever the sheets hold: no exception escapes; a refused form leaves the flow folder and
the catalogs exactly as they were; an accepted one passes `flows check` as written.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from bot.flowimport.importer import import_form

ROOT = Path(__file__).parent.parent.parent
HEADER = [
    "type",
    "name",
    "label::Nederlands (nl)",
    "label::English (en)",
    "relevant",
    "constraint",
    "required",
    "hint",
]
TYPES = [
    "select_one yn",
    "select_multiple yn",
    "select_one nope",
    "integer",
    "decimal",
    "text",
    "note",
    "calculate",
    "geopoint",
    "begin group",
    "end group",
    "begin repeat",
    "end repeat",
    "start",
    "select_one_from_file x.csv",
    "",
    "rank yn",
]
NAMES = ["a", "b", "c", "A-1", "2b", "_x", "", "naam", "a"]
PIECES = [
    "${a}",
    "${b}",
    "${c}",
    "${naam}",
    "'yes'",
    "'no'",
    "=",
    "!=",
    ">",
    "3",
    "2.5",
    "and",
    "or",
    "not(",
    ")",
    "(",
    "selected(",
    ",",
    ".",
    "regex(",
    "‘yes’",
]


def expressions() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(PIECES), max_size=7).map(" ".join)


rows = st.lists(
    st.tuples(
        st.sampled_from(TYPES),
        st.sampled_from(NAMES),
        st.text(max_size=30),
        st.one_of(st.none(), st.text(max_size=30)),
        st.one_of(st.none(), expressions()),
        st.one_of(st.none(), expressions()),
        st.sampled_from([None, "yes", "no", "${a} = 'yes'"]),
        st.one_of(st.none(), st.text(max_size=10)),
    ),
    max_size=12,
)


TIDY = frozenset(
    {"select_one yn", "select_multiple yn", "integer", "decimal", "text", "note", "geopoint"}
)


def _tidy(index: int, row: tuple[str | None, ...]) -> tuple[str | None, ...]:
    label = (_clean(row[2]) or "").strip() or f"Vraag {index}"
    # pyxform refuses a reference to a name the form does not have.
    relevant, constraint = (_known(e) for e in row[4:6])
    required = row[6] if row[6] in ("yes", "no") else None
    return (row[0], f"q{index}", label, row[3], relevant, constraint, required, row[7])


def _known(expression: str | None) -> str | None:
    if expression is None or any(f"${{{n}}}" in expression for n in ("a", "b", "c", "naam")):
        return None
    return expression


def _clean(value: str | None) -> str | None:
    # Characters a spreadsheet cell cannot hold at all; openpyxl refuses them.
    if value is None:
        return None
    return "".join(ch for ch in value if ch >= " " or ch in "\n\t") or None


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(survey=rows, with_choices=st.booleans(), tidy=st.booleans())
def test_any_form_is_imported_whole_or_not_at_all(
    survey: list[tuple[str | None, ...]], with_choices: bool, tidy: bool
) -> None:
    if tidy:
        # Half the forms are ones pyxform accepts, so that the import's own rules get tried.
        survey = [_tidy(i, row) for i, row in enumerate(survey) if row[0] in TIDY]
        with_choices = True
    with tempfile.TemporaryDirectory() as folder:
        place = Path(folder)
        shutil.copytree(ROOT / "locales", place / "locales")
        (place / "flows").mkdir()
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "survey"
        sheet.append(HEADER)
        for row in survey:
            sheet.append([_clean(v) for v in row])
        if with_choices:
            choices = book.create_sheet("choices")
            for line in (["list_name", "name", "label"], ["yn", "yes", "Ja"], ["yn", "no", "Nee"]):
                choices.append(line)
        form = place / "form.xlsx"
        book.save(form)
        before = _tree(place / "locales")

        report = import_form(form, place / "flows", place / "locales")

        event("refused" if report.failed else "imported")
        if report.failed:
            assert _tree(place / "locales") == before
            assert not list((place / "flows").glob("*.yaml"))
            assert any(f.is_error for f in report.findings)
        else:
            assert not any(p.is_error for p in report.check)
