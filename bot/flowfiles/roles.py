"""Warn about a flow that lacks a step every school flow should have."""

from __future__ import annotations

from bot.engine.flow import Flow
from bot.flowfiles.loader import FlowSet
from bot.flowfiles.positions import START
from bot.flowfiles.problems import Code, Problem, Reporter


def role_problems(checked: FlowSet) -> list[Problem]:
    """Return the warnings about usable flows that lack a consent or a school step.

    Only `flows check` gives them: a coordinator may mean it, and the running bot need
    not repeat it to every coordinator at every reload.
    """
    problems: list[Problem] = []
    for path, result in checked.files.items():
        if result.flow is not None:
            report = Reporter(str(path))
            missing_roles(result.flow, report)
            problems += report.problems
    return problems


def missing_roles(flow: Flow, report: Reporter) -> None:
    """Warn when the flow asks no consent, or has no step for the school."""
    if flow.meaning.consent is None:
        message = (
            "the flow asks no consent: parents are not told who sees their answers "
            "before they give them; add a consent step"
        )
        report.warning(START, None, Code.NO_CONSENT, message)
    if flow.meaning.school is None:
        message = (
            "the flow has no school step: only parents who come by a school's link "
            "reach a school; add a school step"
        )
        report.warning(START, None, Code.NO_SCHOOL, message)
