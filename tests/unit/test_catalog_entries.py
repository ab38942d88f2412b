"""A translation the bot cannot use is reported by `i18n check` and never reaches a parent."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.engine import texts as engine_texts
from bot.i18n import tools
from bot.i18n.catalogs import po_path, template_path
from bot.i18n.localizer import Localizers

PROGRESS = engine_texts.PROGRESS  # "Vraag %(current)s van %(total)s"
SKIP = engine_texts.SKIP


def write_catalogs(locales: Path, language: str, translations: dict[str, str]) -> Path:
    """Write a template and one language's catalog holding these translations."""
    template = Catalog(domain="ouderbrug")
    catalog = Catalog(locale=language, domain="ouderbrug")
    for source, translation in translations.items():
        template.add(source)
        catalog.add(source, translation)
    template_path(locales).parent.mkdir(parents=True, exist_ok=True)
    with template_path(locales).open("wb") as fileobj:
        write_po(fileobj, template)
    path = po_path(locales, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog)
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


BROKEN_PERCENT = "%(total)s sorudan %(current)s. soru, %50 tamamlandı"


@pytest.mark.parametrize(
    ("translation", "says"),
    [
        (BROKEN_PERCENT, "write %% for a percent sign"),
        ("Soru %(simdiki)s / %(total)s", "%(simdiki)s, which the Dutch text does not have"),
        ("Soru %s / %s", "a placeholder without a name"),
    ],
    ids=["turkish-percent", "renamed", "positional"],
)
def test_a_translation_that_cannot_be_formatted_is_reported_by_file_and_line(
    tmp_path: Path, translation: str, says: str
) -> None:
    locales = tmp_path / "locales"
    path = write_catalogs(locales, "tr", {PROGRESS: translation, SKIP: "Atla"})

    [report] = tools.check(locales, ["tr"])

    [error] = report.errors
    line = line_of(path, 'msgid "Vraag')
    assert error.startswith(f"{path}:{line}: msgid 'Vraag %(current)s")
    assert says in error
    assert not report.complete


def test_a_percent_sign_in_a_text_that_is_never_formatted_is_fine(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    write_catalogs(locales, "tr", {PROGRESS: "Soru %(current)s / %(total)s", SKIP: "%100 atla"})

    [report] = tools.check(locales, ["tr"])

    assert report.errors == []
    assert report.complete


def test_at_run_time_a_broken_entry_falls_back_to_dutch_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    locales = tmp_path / "locales"
    write_catalogs(locales, "tr", {PROGRESS: BROKEN_PERCENT, SKIP: "Atla"})
    caplog.set_level(logging.WARNING)
    localizers = Localizers(locales)

    turkish = localizers.get("tr")
    shown = turkish.gettext(PROGRESS) % {"current": "3", "total": "9"}
    localizers.get("tr").gettext(PROGRESS)

    assert shown == "Vraag 3 van 9"
    assert turkish.gettext(SKIP) == "Atla"  # the other entries still work
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Vraag %(current)s" in warnings[0].getMessage()
    assert "ouderbrug.po:" in warnings[0].getMessage()


def write_utf7_catalog(locales: Path, body: str) -> Path:
    # UTF-7 can carry half an emoji (a lone surrogate), which UTF-8 cannot.
    header = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-7\\n"\n\n'
        f'msgid "{SKIP}"\nmsgstr "{body}"\n'
    )
    path = po_path(locales, "tr")
    path.parent.mkdir(parents=True)
    path.write_bytes(header.encode("ascii"))
    template = Catalog(domain="ouderbrug")
    template.add(SKIP)
    with template_path(locales).open("wb") as fileobj:
        write_po(fileobj, template)
    return path


def test_a_translation_with_half_an_emoji_is_reported_and_never_used(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    write_utf7_catalog(locales, "Atla +2D0-")

    [report] = tools.check(locales, ["tr"])
    text = Localizers(locales).get("tr").gettext(SKIP)

    [error] = report.errors
    assert "half of an emoji" in error
    assert "U+D83D" in error
    assert text == SKIP
    assert "\\ud83d" not in tools.format_check([report], {"tr"}).encode("utf-8").decode()


def test_a_translation_over_telegrams_limit_is_reported_and_never_used(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    write_catalogs(locales, "tr", {SKIP: "ç" * 4097, PROGRESS: "Soru %(current)s / %(total)s"})

    [report] = tools.check(locales, ["tr"])
    text = Localizers(locales).get("tr").gettext(SKIP)

    [error] = report.errors
    assert "4097 characters" in error
    assert "4096" in error
    assert text == SKIP


def test_an_unreadable_catalog_leaves_the_language_in_dutch_without_raising(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = po_path(tmp_path / "locales", "tr")
    path.parent.mkdir(parents=True)
    path.write_bytes(b'msgid "Overslaan"\nmsgstr "\xff\xfe"\n')

    assert Localizers(tmp_path / "locales").get("tr").gettext(SKIP) == SKIP
    assert any("tr" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_a_translation_that_shows_nothing_is_reported_and_never_used(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    write_catalogs(locales, "tr", {SKIP: " \u200b ", PROGRESS: "Soru %(current)s / %(total)s"})

    [report] = tools.check(locales, ["tr"])
    text = Localizers(locales).get("tr").gettext(SKIP)

    [error] = report.errors
    assert "shows nothing" in error
    assert text == SKIP


def test_check_reports_a_catalog_it_cannot_read_instead_of_raising(tmp_path: Path) -> None:
    # `flows check` sends the coordinator here for exactly this catalog.
    locales = tmp_path / "locales"
    path = write_catalogs(locales, "tr", {SKIP: "Atla"})
    path.write_bytes(b'msgid "Overslaan"\nmsgstr "\xff\xfe"\n')

    [report] = tools.check(locales, ["tr"])

    assert not report.complete
    assert report.errors == [f"{path}: the catalog cannot be read: it is not saved as UTF-8"]
    assert "INCOMPLETE" in tools.format_check([report], {"tr"})


def test_update_leaves_a_catalog_it_cannot_read_as_it_is_and_says_so(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    path = write_catalogs(locales, "tr", {SKIP: "Atla"})
    garbled = b'msgid "Overslaan"\nmsgstr "\xff\xfe"\n'
    path.write_bytes(garbled)

    reports, problems = tools.update(locales, ["tr"])

    assert problems == [
        f"{path}: the catalog cannot be read: it is not saved as UTF-8; it was left as it is"
    ]
    assert reports == []
    assert path.read_bytes() == garbled
