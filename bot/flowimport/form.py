"""Plan the flow for a whole form: its id, title, languages and steps."""

from __future__ import annotations

from bot.flowimport.choices import read_choices
from bot.flowimport.columns import read_languages
from bot.flowimport.findings import Findings
from bot.flowimport.names import flow_id as as_flow_id
from bot.flowimport.plan import FormPlan, StepPlan
from bot.flowimport.survey import read_survey
from bot.flowimport.walk import Walk
from bot.flowimport.workbook import SURVEY, Workbook


def plan_form(
    workbook: Workbook, findings: Findings, wanted_id: str | None, language: str | None
) -> FormPlan | None:
    """Return the flow a form becomes; None when the form has errors (all recorded)."""
    if workbook.survey is None:
        findings.error(
            SURVEY, None, None, "the form has no survey sheet, which holds the questions"
        )
        return None
    settings = workbook.settings.rows[0] if workbook.settings and workbook.settings.rows else None
    sheets = [s for s in (workbook.survey, workbook.choices) if s is not None]
    languages = read_languages(sheets, settings, language, findings)
    lists = read_choices(workbook.choices, languages, findings)
    steps = read_survey(Walk(workbook.survey, languages, lists, findings))
    if not any(s.kind.value != "message" for s in steps) and not findings.failed:
        findings.error(SURVEY, None, None, "no question of this form can be carried over")
    if findings.failed:
        return None
    written_id = wanted_id or (settings.get("form_id") if settings else "") or workbook.name
    title = (settings.get("form_title") if settings else "") or written_id
    version = settings.get("version") if settings else ""
    offered = [c for c in languages.codes if _complete(c, steps, languages.source, findings)]
    return FormPlan(
        flow_id=as_flow_id(written_id),
        title=title,
        version=int(version) if version.isdigit() and int(version) > 0 else 1,
        source_language=languages.source,
        languages=list(languages.codes),
        offered=offered,
        steps=steps,
    )


def _complete(code: str, steps: list[StepPlan], source: str, findings: Findings) -> bool:
    """Tell whether the form translates every text into a language; report it when not."""
    if code == source:
        return True
    missing = sum(1 for s in steps if code not in s.texts)
    missing += sum(1 for s in steps for c in s.choices if code not in c.labels)
    if missing:
        message = (
            f"{missing} texts have no '{code}' translation in the form, so the flow is not "
            f"offered in '{code}' yet; the translations it has are in the catalog"
        )
        findings.warning(SURVEY, None, None, message)
    return missing == 0
