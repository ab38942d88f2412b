"""`flows import`: an XLSForm in, a checked flow file and its catalog entries out, or nothing."""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine.flow import Flow
from bot.flowfiles.checker import check_paths
from bot.flowfiles.loader import load_flow, parse_flow
from bot.flowfiles.positions import Positions
from bot.flowfiles.problems import Problem
from bot.flowimport.catalogs import CatalogChanges, write_catalogs
from bot.flowimport.document import flow_yaml
from bot.flowimport.findings import Finding, Findings
from bot.flowimport.form import plan_form
from bot.flowimport.languages import known_code
from bot.flowimport.plan import FormPlan
from bot.flowimport.rapidpro import plan_rapidpro
from bot.flowimport.snapshot import Snapshot
from bot.flowimport.workbook import (
    FormUnreadableError,
    Workbook,
    findings_for,
    read_workbook,
)
from bot.i18n.catalogs import po_path, template_path

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    """What an import did: the findings, and when it wrote, the flow file, catalogs and check."""

    form: Path
    findings: list[Finding]
    plan: FormPlan | None = None
    flow_file: Path | None = None
    catalogs: list[CatalogChanges] = field(default_factory=list)
    check: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Tell whether nothing was written because of an error."""
        return self.flow_file is None


def import_form(
    form: Path,
    out_dir: Path,
    locales_dir: Path,
    *,
    flow_id: str | None = None,
    language: str | None = None,
    replace: bool = False,
) -> ImportReport:
    """Import an XLSForm or RapidPro export into a flow file and the catalogs."""
    findings, plan = _plan(form, flow_id, language)
    report = ImportReport(form, findings.items, plan)
    if plan is None or findings.failed:
        return report
    target = out_dir / f"{plan.flow_id}.yaml"
    text = flow_yaml(plan, form.name)
    loaded = parse_flow(text.encode(), str(target))
    if loaded.flow is None:
        # A form this import misread: say so rather than write a flow the bot refuses.
        for problem in loaded.problems:
            findings.error(None, None, None, f"the flow made of it is refused: {problem.message}")
        return report
    owner = _owner(out_dir, plan.flow_id, target)
    if owner is not None:
        message = f"{owner} already holds a flow with the id '{plan.flow_id}'; give another --id"
        findings.error(None, None, None, message)
        return report
    if target.exists() and not replace:
        message = f"{target} already exists; give another --id, or --replace to overwrite it"
        findings.error(None, None, None, message)
        return report
    _commit(report, loaded.flow, loaded.positions, target, text, locales_dir)
    return report


def _plan(
    form: Path, flow_id: str | None, language: str | None
) -> tuple[Findings, FormPlan | None]:
    """Read the form and plan its flow, by what kind of file it is."""
    if language is not None and known_code(language) is None:
        findings = Findings()
        findings.error(None, None, None, f"--language {language} is no language code (such as nl)")
        return findings, None
    language = None if language is None else known_code(language)
    if form.suffix.lower() == ".json" and form.is_file():
        findings = Findings()
        return findings, plan_rapidpro(form, findings, flow_id, language)
    try:
        workbook = read_workbook(form)
    except FormUnreadableError as error:
        findings = Findings()
        findings.error(None, None, None, str(error))
        return findings, None
    findings = findings_for(workbook)
    _pyxform_check(workbook, findings)
    return findings, plan_form(workbook, findings, flow_id, language)


def _commit(
    report: ImportReport,
    flow: Flow,
    positions: Positions,
    target: Path,
    text: str,
    locales_dir: Path,
) -> None:
    """Write the flow and catalogs, check them as the bot will, and undo all if refused."""
    assert report.plan is not None
    plan = report.plan
    touched = [target, template_path(locales_dir)]
    touched += [po_path(locales_dir, code) for code in plan.languages]
    before = Snapshot(touched)
    _write(target, text)
    catalogs = write_catalogs(plan, flow, positions, shown(target), locales_dir)
    check = check_paths([target], locales_dir)
    if any(p.is_error for p in check):
        # Served as written, the bot would refuse it: keep the folders as they were.
        before.restore()
        for problem in check:
            report.findings.append(Finding(None, None, None, problem.message, "error"))
        return
    report.flow_file, report.catalogs, report.check = target, catalogs, check
    log.info("imported %s as flow %s", report.form.name, plan.flow_id)


def _owner(out_dir: Path, flow_id: str, target: Path) -> Path | None:
    """Return another file of the folder with this flow id: the bot would refuse both."""
    if not out_dir.is_dir():
        return None
    for path in sorted(out_dir.glob("*.yaml")):
        if path.resolve() == target.resolve():
            continue
        found = load_flow(path).flow
        if found is not None and found.id == flow_id:
            return path
    return None


def _pyxform_check(workbook: Workbook, findings: Findings) -> None:
    """Let pyxform judge the form as ODK would; what it refuses, this import refuses too."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json

    try:
        workbook_to_json(workbook.definition, warnings=[])
    except PyXFormError as error:
        findings.error(None, None, None, f"pyxform refuses this form: {error}")
    except Exception as error:
        # pyxform's own slip on an odd form is still a form we cannot vouch for.
        log.warning("pyxform failed on %s", workbook.name, exc_info=True)
        message = f"pyxform could not read this form ({type(error).__name__})"
        findings.error(None, None, None, message)


def shown(path: Path) -> str:
    """Return the path as catalogs name source files: relative to here when it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as fileobj:
            fileobj.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
