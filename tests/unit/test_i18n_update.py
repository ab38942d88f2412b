"""`ouderbrug i18n update`: what it added, changed and made obsolete per language; no guesses."""

from __future__ import annotations

import copy
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot.i18n import tools
from bot.i18n.catalogs import po_path, read_catalog, template_path


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog)


def old_catalog() -> Catalog:
    catalog = Catalog(locale="ar", domain="ouderbrug")
    catalog.add("Internet", "الإنترنت", context="thuissituatie:internet")
    catalog.add("Geen internet", "لا يوجد إنترنت", context="thuissituatie:internet:none")
    catalog.add(("%(n)s gezin", "%(n)s gezinnen"), ("", "", "", "", "", ""))
    return catalog


def new_template() -> Catalog:
    template = Catalog(domain="ouderbrug")
    # "Internet" is now called "Internet thuis" and "Kinderen" is new: a guess would
    # give either one the Arabic of a text that merely looks alike.
    template.add("Internet thuis", context="thuissituatie:internet")
    template.add("Kinderen", context="thuissituatie:children")
    template.add("Geen internet", context="thuissituatie:internet:none")
    template.add(("%(n)s gezin", "%(n)s gezinnen, samen"))
    return template


def test_babel_on_its_own_would_have_guessed() -> None:
    # The control for the test below: without the switch, Babel pre-fills a guess.
    catalog = copy.deepcopy(old_catalog())
    catalog.update(new_template())
    guessed = catalog.get("Internet thuis", context="thuissituatie:internet")
    assert guessed is not None
    assert (guessed.string, guessed.fuzzy) == ("الإنترنت", True)


def test_update_reports_each_language_and_fills_in_no_guess(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    write(template_path(locales), new_template())
    write(po_path(locales, "ar"), old_catalog())

    [report], problems = tools.update(locales, ["nl", "ar"])

    assert problems == []
    assert report.code == "ar"
    assert report.added == [
        "'Internet thuis' (thuissituatie:internet)",
        "'Kinderen' (thuissituatie:children)",
    ]
    assert report.changed == ["'%(n)s gezin'"]
    assert report.obsolete == ["'Internet' (thuissituatie:internet)"]
    assert report.format().splitlines()[0] == (
        f"{po_path(locales, 'ar')}: 2 added, 1 changed, 1 made obsolete"
    )
    catalog = read_catalog(locales, "ar")
    assert catalog is not None
    for source, context in (("Internet thuis", "internet"), ("Kinderen", "children")):
        entry = catalog.get(source, context=f"thuissituatie:{context}")
        assert entry is not None
        assert (entry.string, entry.fuzzy) == ("", False)
    kept = catalog.get("Geen internet", context="thuissituatie:internet:none")
    assert kept is not None
    assert (kept.string, kept.fuzzy) == ("لا يوجد إنترنت", False)


def test_a_second_update_has_nothing_to_report_and_changes_nothing(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    write(template_path(locales), new_template())
    write(po_path(locales, "ar"), old_catalog())
    tools.update(locales, ["ar"])
    before = po_path(locales, "ar").read_bytes()

    [report], _ = tools.update(locales, ["ar"])

    assert (report.added, report.changed, report.obsolete) == ([], [], [])
    assert po_path(locales, "ar").read_bytes() == before


def test_a_language_without_a_catalog_gets_one_and_is_named(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    write(template_path(locales), new_template())

    [report], _ = tools.update(locales, ["so"])

    assert report.added == ["a new catalog for so"]
    with po_path(locales, "so").open("rb") as fileobj:
        catalog = read_po(fileobj, locale="so")
    assert catalog.get("Kinderen", context="thuissituatie:children") is not None
