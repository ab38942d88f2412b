"""Say what an import did, in lines a coordinator reads top to bottom."""

from __future__ import annotations

from collections.abc import Collection

from babel import Locale

from bot.flowfiles.checker import format_report
from bot.flowimport.importer import ImportReport, shown


def format_import(report: ImportReport, offered: Collection[str]) -> str:
    """Return the findings, then what was written and what to do next; or why nothing was."""
    name = report.form.name
    lines = [f.format(name) for f in report.findings]
    if report.flow_file is None or report.plan is None:
        errors = sum(1 for f in report.findings if f.is_error)
        lines.append(
            f"Nothing was written: {errors} error{'s' if errors != 1 else ''} to fix first."
        )
        return "\n".join(lines)
    plan = report.plan
    warnings = len(report.findings)
    steps = len(plan.steps)
    lost = (
        f"{warnings} thing{'s' if warnings != 1 else ''} above not carried over as in the form"
        if warnings
        else "everything carried over"
    )
    languages = ", ".join(plan.offered)
    written = shown(report.flow_file)
    lines.append(
        f"Wrote {written}: flow '{plan.flow_id}' with {steps} steps in {languages}; {lost}."
    )
    for change in report.catalogs:
        state = "created" if change.created else "updated"
        count = f"{change.filled} translation{'s' if change.filled != 1 else ''}"
        lines.append(f"{shown(change.path)}: {state}, {count} from the form")
        lines += [f"    kept the catalog's own translation of {c}" for c in change.kept]
    lines += _new_languages(report, offered)
    lines.append(format_report(report.check))
    return "\n".join(lines)


def _new_languages(report: ImportReport, offered: Collection[str]) -> list[str]:
    assert report.plan is not None
    lines = []
    for code in report.plan.languages:
        if code in offered:
            continue
        name = Locale.parse(code).english_name
        lines.append(
            f"{name} ({code}) is not yet a language parents can pick: add it to LANGUAGES "
            f"in .env, and translate the bot's own texts in locales/{code}/ "
            f"(`ouderbrug i18n check`, or `ouderbrug i18n machine-fill {code}` to start)."
        )
    return lines
