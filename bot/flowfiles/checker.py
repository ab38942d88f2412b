"""Check flow files and their translations before a flow goes live."""

from __future__ import annotations

import gettext
import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog

from bot.engine.render import PLACEHOLDER
from bot.flowfiles.loader import FlowSet, LoadResult, flow_files, load_files
from bot.flowfiles.positions import START
from bot.flowfiles.problems import Code, Problem, Reporter
from bot.flowfiles.rendered import check_rendered
from bot.flowfiles.texts import PLACEHOLDERS, FlowText, flow_texts
from bot.i18n.catalogs import (
    SOURCE_LANGUAGE,
    is_translated,
    po_path,
    read_catalog,
    unreadable,
    usable_translations,
)
from bot.i18n.entries import unusable
from bot.i18n.localizer import LanguageCatalog

log = logging.getLogger(__name__)


class _Catalogs:
    """Each language's catalog, read once however many flows use it."""

    def __init__(self, locales_dir: Path) -> None:
        self.locales_dir = locales_dir
        self._read: dict[str, Catalog | None] = {}
        self.problems: list[Problem] = []

    def get(self, language: str) -> Catalog | None:
        """Return a language's catalog, None when it has none or it cannot be read."""
        if language not in self._read:
            self._read[language] = self._load(language)
        return self._read[language]

    def exists(self, language: str) -> bool:
        """Tell whether the language has a catalog file, readable or not."""
        return po_path(self.locales_dir, language).is_file()

    def _load(self, language: str) -> Catalog | None:
        try:
            return read_catalog(self.locales_dir, language)
        except (OSError, ValueError) as error:
            report = Reporter(str(po_path(self.locales_dir, language)))
            message = (
                f"the catalog cannot be read ({unreadable(error)}); check it with "
                "`ouderbrug i18n check`"
            )
            report.error(START, None, Code.UNREADABLE, message)
            self.problems.extend(report.problems)
            return None


def check_paths(paths: Sequence[Path], locales_dir: Path) -> list[Problem]:
    """Check flow files and folders of flow files, and that every text is translated."""
    return check_files(paths, locales_dir).problems


def check_folder(directory: Path, locales_dir: Path) -> FlowSet:
    """Check a folder's flow files as the bot uses them: only flows without errors are usable."""
    return check_files([directory], locales_dir)


def check_files(paths: Sequence[Path], locales_dir: Path) -> FlowSet:
    """Check flow files and folders; the result's flows are those with no error at all.

    The bot loads flows through here and nowhere else, so a flow `ouderbrug flows check`
    refuses is never served, and one it accepts does not break the bot later.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            in_folder, folder_problems = flow_files(path)
            files.extend(in_folder)
            problems.extend(folder_problems)
        else:
            files.append(path)
    loaded = load_files(_unique(files))
    catalogs = _Catalogs(locales_dir)
    checked: dict[Path, LoadResult] = {}
    for path, result in loaded.files.items():
        checked[path] = _guarded(path, result, catalogs)
        problems.extend(sorted(checked[path].problems, key=_place))
    return FlowSet(checked, problems + catalogs.problems)


def _guarded(path: Path, result: LoadResult, catalogs: _Catalogs) -> LoadResult:
    # One file that trips an unforeseen error is refused and named; the others go on.
    try:
        found = result.problems + _translations(path, result, catalogs)
    except Exception as error:
        log.exception("checking %s failed", path)
        found = [*result.problems, not_loaded(path, error)]
    failed = any(p.is_error for p in found)
    return replace(result, flow=None if failed else result.flow, problems=found)


def not_loaded(path: Path, error: Exception) -> Problem:
    """Return the problem of a file the bot could not check or store, for coordinators."""
    report = Reporter(str(path))
    message = (
        f"the bot could not use this file ({type(error).__name__}); the previous version "
        "stays in use. Run `ouderbrug flows check` and tell the developers"
    )
    report.error(START, None, Code.NOT_LOADED, message)
    return report.problems[0]


def format_report(problems: Sequence[Problem]) -> str:
    """Return the problems one per line, ending with how many errors and warnings there are."""
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    lines = [p.format() for p in problems]
    counts = [_count(n, word) for n, word in ((errors, "error"), (warnings, "warning")) if n]
    lines.append(f"Found {' and '.join(counts)}." if counts else "No problems found.")
    return "\n".join(lines)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _place(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.column


def _unique(paths: list[Path]) -> list[Path]:
    # The same file named twice (flows/ and flows/x.yaml) is one file, not a duplicate id.
    seen: set[Path] = set()
    unique = []
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def _translations(path: Path, result: LoadResult, catalogs: _Catalogs) -> list[Problem]:
    flow = result.flow
    if flow is None:
        return []
    report = Reporter(str(path))
    texts = flow_texts(flow, result.positions)
    for text in texts:
        _known_placeholders(report, text)
    for language in flow.languages:
        name = _language_name(language)
        if language == flow.source_language:
            # The flow's texts need no translation here; the bot's own texts still may.
            own = None if language == SOURCE_LANGUAGE else catalogs.get(language)
            _rendered(result, language, name, own, report)
            continue
        catalog = catalogs.get(language)
        if catalog is None and not catalogs.exists(language):
            expected = po_path(catalogs.locales_dir, language)
            message = f"there are no {name} translations yet ({expected} is missing)"
            report.error(result.positions.language(language), None, Code.NO_CATALOG, message)
        if catalog is None:
            continue
        for text in texts:
            _translation(text, catalog, name, report)
        _rendered(result, language, name, catalog, report)
    return report.problems


def _translation(text: FlowText, catalog: Catalog, name: str, report: Reporter) -> None:
    entry = catalog.get(text.source, context=text.context)
    quoted = text.describe(_preview(text.source))
    if is_translated(entry):
        assert entry is not None
        reason = unusable(entry)
        if reason is not None:
            message = f"the {name} translation of {quoted} cannot be used: {reason}"
            report.error(text.position, text.step_id, Code.BROKEN_TRANSLATION, message)
        else:
            _same_placeholders(report, text, str(entry.string), name)
        return
    if entry is not None and entry.fuzzy and entry.string:
        message = f"{quoted} has a {name} translation marked fuzzy; review it"
    else:
        message = f"{quoted} has no {name} translation"
    report.error(text.position, text.step_id, Code.UNTRANSLATED, message)


def _known_placeholders(report: Reporter, text: FlowText) -> None:
    """A misspelt {name} would reach parents as written: name the ones the bot fills in."""
    for unknown in sorted(set(PLACEHOLDER.findall(text.source)) - PLACEHOLDERS):
        known = ", ".join(f"{{{name}}}" for name in sorted(PLACEHOLDERS))
        message = (
            f"{text.describe(_preview(text.source))} names {{{unknown}}}, which the bot "
            f"does not fill in; the known values are {known}"
        )
        report.error(text.position, text.step_id, Code.UNKNOWN_PLACEHOLDER, message)


def _same_placeholders(report: Reporter, text: FlowText, translation: str, name: str) -> None:
    """A translation must keep every known {name} of its text, and add none."""
    wanted = set(PLACEHOLDER.findall(text.source)) & PLACEHOLDERS
    found = set(PLACEHOLDER.findall(translation)) & PLACEHOLDERS
    if wanted == found:
        return
    missing = ", ".join(f"{{{n}}}" for n in sorted(wanted - found)) or "none"
    extra = ", ".join(f"{{{n}}}" for n in sorted(found - wanted)) or "none"
    message = (
        f"the {name} translation of {text.describe(_preview(text.source))} must keep its "
        f"placeholders as written (missing: {missing}; not in the text: {extra})"
    )
    report.error(text.position, text.step_id, Code.PLACEHOLDER_MISMATCH, message)


def _rendered(
    result: LoadResult, language: str, name: str, catalog: Catalog | None, report: Reporter
) -> None:
    assert result.flow is not None
    try:
        translations = (
            gettext.NullTranslations() if catalog is None else usable_translations(catalog)
        )
        texts = LanguageCatalog(language, translations)
    except (ValueError, UnknownLocaleError):
        return  # A language Babel does not know: no parent can pick it, so nothing is sent.
    check_rendered(result.flow, result.positions, texts, name, report)


def _language_name(code: str) -> str:
    try:
        return f"{Locale.parse(code).english_name} ({code})"
    except (UnknownLocaleError, ValueError):
        return f"'{code}'"


def _preview(source: str) -> str:
    # Enough of the text to recognise it; the line number says where the rest is.
    flat = " ".join(source.split())
    return flat if len(flat) <= 40 else flat[:37] + "..."
