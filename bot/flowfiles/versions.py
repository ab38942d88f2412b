"""Warn when a flow's content changed but its `version` did not, against what the bot served.

The revision (a hash of the file) tells sessions apart whatever the version says; the
version is what people read: the export's "versie", a coordinator's notes. Two different
questionnaires under one version number are answers nobody can tell apart later.
"""

from __future__ import annotations

from bot.engine.flow import Flow
from bot.flowfiles.loader import FlowSet
from bot.flowfiles.positions import Position
from bot.flowfiles.problems import Code, Problem, Reporter
from bot.storage.repositories.flows import StoredFlows


def version_problems(checked: FlowSet, stored: StoredFlows) -> list[Problem]:
    """Warn about each flow that differs from a served revision of its version, or goes lower."""
    problems: list[Problem] = []
    for path, result in checked.files.items():
        if result.flow is None:
            continue
        report = Reporter(str(path))
        at = result.positions.top("version")
        _compare(result.flow, stored.versions(result.flow.id), report, at)
        problems += report.problems
    return problems


def _compare(flow: Flow, served: list[tuple[int, str]], report: Reporter, at: Position) -> None:
    if any(revision == flow.revision for _, revision in served):
        return  # This very file was served before: nothing changed since.
    same = [revision for version, revision in served if version == flow.version]
    highest = max((version for version, _ in served), default=0)
    if same:
        message = (
            f"the content changed since the bot served version {flow.version} "
            f"(revision {same[-1]}), but 'version' is still {flow.version}; raise it to "
            f"{highest + 1}, so answers to the two can be told apart"
        )
        report.warning(at, None, Code.VERSION_UNCHANGED, message)
    elif flow.version < highest:
        message = (
            f"'version' is {flow.version}, lower than version {highest} the bot already "
            f"served; raise it to {highest + 1}"
        )
        report.warning(at, None, Code.VERSION_UNCHANGED, message)
