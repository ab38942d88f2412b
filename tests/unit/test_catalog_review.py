"""Each catalog says whether a native speaker has read it; `i18n check` reports it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from bot.i18n import tools
from bot.i18n.catalogs import po_path, read_catalog
from bot.i18n.review import UnknownReviewStatusError, review_status, with_review_line
from bot.settings import PROJECT_DIR

LOCALES = PROJECT_DIR / "locales"


def with_header(comment: str) -> Catalog:
    catalog = Catalog(locale="fr", domain="ouderbrug")
    catalog.header_comment = comment
    return catalog


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A copy of the shipped catalogs that a test may change."""
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy)
    return copy


def set_review_line(locales: Path, language: str, line: str) -> None:
    path = po_path(locales, language)
    text = path.read_text(encoding="utf-8")
    assert "# Review-Status: unreviewed\n" in text
    path.write_text(text.replace("# Review-Status: unreviewed\n", line), encoding="utf-8")


def test_the_review_line_names_the_state() -> None:
    assert review_status(with_header("# French\n# Review-Status: native-reviewed\n#")) == (
        "native-reviewed"
    )
    assert review_status(with_header("# Review-Status: unreviewed")) == "unreviewed"


def test_a_catalog_that_says_nothing_counts_as_unreviewed() -> None:
    assert review_status(with_header("# French translations for Ouderbrug.\n#")) == "unreviewed"


@pytest.mark.parametrize("value", ["reviewed", "Native-Reviewed ok", "", "yes"])
def test_an_unknown_state_is_refused(value: str) -> None:
    catalog = with_header(f"# Review-Status: {value}\n#")
    with pytest.raises(UnknownReviewStatusError, match="unreviewed or native-reviewed"):
        review_status(catalog)


def test_two_lines_that_disagree_are_refused() -> None:
    catalog = with_header("# Review-Status: unreviewed\n# Review-Status: native-reviewed\n#")
    with pytest.raises(UnknownReviewStatusError):
        review_status(catalog)


def test_the_check_shows_each_language_on_one_line_with_its_review_state() -> None:
    codes = ["nl", *tools.catalog_languages(LOCALES)]
    output = tools.format_check(tools.check(LOCALES, codes), {"nl", "ar"})
    lines = {line.split(":")[0]: line for line in output.splitlines()}
    assert ", required, source, recorded " in lines["nl"]
    assert ", complete, required, native-reviewed, recorded " in lines["ar"]
    assert ", complete, optional, unreviewed, recorded " in lines["ti"]
    assert set(lines) == set(codes)  # nothing else printed: every catalog is complete


def test_an_unknown_state_makes_the_language_broken_in_the_check(locales: Path) -> None:
    set_review_line(locales, "so", "# Review-Status: checked by Ahmed\n")
    (report,) = tools.check(locales, ["so"])
    assert not report.complete
    assert report.review == "unknown"
    assert any("'Review-Status: checked by Ahmed'" in error for error in report.errors)
    output = tools.format_check([report], {"so"})
    total = report.total
    assert output.splitlines()[0] == (
        f"so: 100% translated ({total}/{total}), INCOMPLETE, required, unknown, "
        f"recorded {report.recorded}/{report.recordable}"
    )


def test_the_review_state_survives_an_update(locales: Path) -> None:
    set_review_line(locales, "fr", "# Review-Status: native-reviewed\n")
    _, problems = tools.update(locales, ["fr", "ti"])
    assert problems == []
    for code, state in (("fr", "native-reviewed"), ("ti", "unreviewed")):
        catalog = read_catalog(locales, code)
        assert catalog is not None
        assert review_status(catalog) == state


def test_a_catalog_started_by_update_says_it_is_unreviewed(locales: Path) -> None:
    assert read_catalog(locales, "de") is None
    assert tools.update(locales, ["de"])[1] == []
    text = po_path(locales, "de").read_text(encoding="utf-8")
    assert "# Review-Status: unreviewed\n#\n" in text
    (report,) = tools.check(locales, ["de"])
    assert report.review == "unreviewed"
    assert report.translated == 0


def test_a_review_line_already_there_is_left_alone() -> None:
    comment = "# Dutch\n# Review-Status: native-reviewed\n#"
    assert with_review_line(comment) == comment
    assert with_review_line("# Dutch\n#") == "# Dutch\n# Review-Status: unreviewed\n#"
