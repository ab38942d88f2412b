"""The translators' commands: extract, update, compile and check the catalogs, via Babel."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import chdir
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalogs import (
    DOMAIN,
    SOURCE_LANGUAGE,
    broken_entries,
    describe,
    describe_id,
    is_translated,
    po_path,
    read_catalog,
    template_path,
    unreadable,
)
from bot.i18n.entries import printable
from bot.i18n.merge import MergeReport, merge
from bot.i18n.recordings import audio_dir, entries, recorded, strays
from bot.i18n.review import UNREVIEWED, UnknownReviewStatusError, review_status, with_review_line

# Babel's own keywords plus our plural marker in bot/engine/texts.py.
KEYWORDS = ("N_plural:1,2",)


def _pybabel(arguments: Sequence[str]) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *arguments])  # type: ignore[no-untyped-call]


def extract(project_dir: Path, locales_dir: Path) -> Path:
    """Write the template (.pot) from the bot's code and every flow, as configured in pyproject."""
    output = template_path(locales_dir).resolve()
    arguments = ["extract", "-F", "pyproject.toml", "-o", str(output)]
    arguments += [f"--keywords={k}" for k in KEYWORDS]
    arguments += [
        "--add-comments=TRANSLATORS:",
        "--project=Ouderbrug",
        "--copyright-holder=Ouderbrug",
        "--sort-by-file",
        # Walk the project folder: the mappings in pyproject say which files hold texts.
        ".",
    ]
    # From inside the project, so the catalogs name source files relative to it.
    with chdir(project_dir):
        _pybabel(arguments)
    return output


def update(locales_dir: Path, languages: Iterable[str]) -> tuple[list[MergeReport], list[str]]:
    """Merge the template into each language's catalog, creating missing catalogs.

    Return what each merge added, changed and made obsolete, and the catalogs that could
    not be read, left as they are, each with why.
    """
    reports: list[MergeReport] = []
    problems = []
    for code in languages:
        if code == SOURCE_LANGUAGE:
            continue
        path = po_path(locales_dir, code)
        if not path.exists():
            template = str(template_path(locales_dir))
            _pybabel(["init", "-i", template, "-d", str(locales_dir), "-D", DOMAIN, "-l", code])
            _mark_unreviewed(locales_dir, code)
            reports.append(MergeReport(code, path, added=[f"a new catalog for {code}"]))
            continue
        try:
            read_catalog(locales_dir, code)
        except (OSError, ValueError) as error:
            problem = f"{path}: the catalog cannot be read: {unreadable(error)}"
            problems.append(printable(f"{problem}; it was left as it is"))
            continue
        reports.append(merge(locales_dir, code))
    return reports, problems


def _mark_unreviewed(locales_dir: Path, code: str) -> None:
    # A new catalog says so from the start, rather than by the absence of a line.
    catalog = read_catalog(locales_dir, code)
    if catalog is None:
        return
    catalog.header_comment = with_review_line(catalog.header_comment)
    with po_path(locales_dir, code).open("wb") as fileobj:
        write_po(fileobj, catalog)


def compile_catalogs(locales_dir: Path) -> None:
    """Compile every catalog to .mo; fuzzy entries are left out, as Babel does by default."""
    _pybabel(["compile", "-d", str(locales_dir), "-D", DOMAIN, "--statistics"])


@dataclass
class LanguageReport:
    """How complete one language's catalog is against the template."""

    code: str
    total: int
    translated: int
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    has_catalog: bool = True
    # Whether a native speaker has read the catalog (bot/i18n/review.py).
    review: str = UNREVIEWED
    # Texts with a recording in locales/<code>/audio/, of those that can have one.
    recorded: int = 0
    recordable: int = 0
    # Recording files that belong to no text (renamed, misspelt, or a text since changed).
    strays: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Tell whether every text is translated and no translation is broken."""
        return self.has_catalog and not self.missing and not self.errors

    @property
    def share(self) -> float:
        """Return the translated share, from 0 to 1."""
        return self.translated / self.total if self.total else 1.0


def catalog_languages(locales_dir: Path) -> list[str]:
    """Return every language that has a catalog in the folder, sorted by code."""
    found = locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
    return sorted(path.parent.parent.name for path in found)


def check(locales_dir: Path, languages: Iterable[str]) -> list[LanguageReport]:
    """Compare each language's catalog with the template: what is translated, missing, broken."""
    with template_path(locales_dir).open("rb") as fileobj:
        template = read_po(fileobj, domain=DOMAIN)
    keys = [(m.id, m.context) for m in template if m.id]
    reports = []
    for code in languages:
        if code == SOURCE_LANGUAGE:
            reports.append(LanguageReport(code, len(keys), len(keys)))
            continue
        path = po_path(locales_dir, code)
        if not path.exists():
            reports.append(LanguageReport(code, len(keys), 0, has_catalog=False))
            continue
        try:
            with path.open("rb") as fileobj:
                catalog = read_po(fileobj, locale=code, domain=DOMAIN)
        except (OSError, ValueError) as error:
            problem = f"{path}: the catalog cannot be read: {unreadable(error)}"
            reports.append(LanguageReport(code, len(keys), 0, errors=[printable(problem)]))
            continue
        reports.append(_report(code, catalog, keys, path))
    for report in reports:
        _count_recordings(report, locales_dir, template)
    return reports


def recording_list(locales_dir: Path, language: str) -> str:
    """List each text of a language with the file its recording goes in, present or not."""
    with template_path(locales_dir).open("rb") as fileobj:
        template = read_po(fileobj, domain=DOMAIN)
    folder = audio_dir(locales_dir, language)
    lines = []
    for entry in entries(read_catalog(locales_dir, language), template, language):
        mark = "recorded" if (folder / entry.name).is_file() else "missing "
        lines.append(f"{mark}  {folder / entry.name}\n          {printable(entry.text)}")
    return "\n".join(lines)


def _count_recordings(report: LanguageReport, locales_dir: Path, template: Catalog) -> None:
    """Count the texts of a language that have a recording, and the files that match none."""
    try:
        catalog = read_catalog(locales_dir, report.code)
    except (OSError, ValueError):
        return  # reported as unreadable already
    found = list(entries(catalog, template, report.code))
    report.recordable = len(found)
    report.recorded = len(recorded(locales_dir, report.code, iter(found)))
    report.strays = strays(locales_dir, report.code, {entry.name for entry in found})


def _report(
    code: str, catalog: Catalog, keys: Sequence[tuple[object, str | None]], path: Path
) -> LanguageReport:
    report = LanguageReport(code, len(keys), 0)
    try:
        report.review = review_status(catalog)
    except UnknownReviewStatusError as refused:
        report.review = "unknown"
        report.errors.append(printable(f"{path}: {refused}"))
    broken = broken_entries(catalog)
    # What the bot leaves out is not translated, whatever the catalog says.
    unused = {(m.id, m.context) for m, _ in broken}
    for msgid, context in keys:
        message = catalog.get(msgid, context)  # type: ignore[arg-type]
        if is_translated(message) and (msgid, context) not in unused:
            report.translated += 1
        else:
            report.missing.append(_describe(msgid, context))
    for message, reason in broken:
        report.errors.append(f"{path}:{message.lineno}: msgid {describe(message)}: {reason}")
    for message, errors in catalog.check():
        if (message.id, message.context) in unused:
            continue
        for error in errors:
            where = f"{path}:{message.lineno}: msgid {describe(message)}"
            report.errors.append(printable(f"{where}: {error}"))
    return report


def _describe(msgid: object, context: str | None) -> str:
    text = describe_id(msgid)
    return printable(f"[{context}] {text}") if context else text


def format_check(reports: Sequence[LanguageReport], required: set[str]) -> str:
    """Render the check as one line per language, then what a translator can act on."""
    lines = []
    for report in reports:
        lines.append(f"{report.code}: " + ", ".join(_columns(report, required)))
        lines += [f"    missing {item}" for item in report.missing]
        lines += [f"    recording for no text: {name}" for name in report.strays]
        lines += [f"    broken {item}" for item in report.errors]
    return "\n".join(lines)


def _columns(report: LanguageReport, required: set[str]) -> list[str]:
    # One entry per column, so a new fact about a language is one more line here.
    status = "complete" if report.complete else "INCOMPLETE"
    if not report.has_catalog:
        status = "NO CATALOG"
    review = "source" if report.code == SOURCE_LANGUAGE else report.review
    return [
        f"{report.share:.0%} translated ({report.translated}/{report.total})",
        status,
        "required" if report.code in required else "optional",
        review,
        f"recorded {report.recorded}/{report.recordable}",
    ]
