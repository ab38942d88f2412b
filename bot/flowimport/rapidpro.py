"""Read a RapidPro export (spec 13) into a planned flow: its questions, messages, branches."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

from bot.flowimport.findings import Findings
from bot.flowimport.languages import language_of
from bot.flowimport.names import flow_id as as_flow_id
from bot.flowimport.plan import FormPlan
from bot.flowimport.rapidpro_graph import Graph
from bot.flowimport.rapidpro_walk import walk_graph

# Larger than any hand-made export; a bigger file is no flow a coordinator wrote.
MAX_BYTES: Final = 5_000_000
OLDEST_SPEC: Final = 13
_VERSION: Final = re.compile(r"\d+")


def plan_rapidpro(
    path: Path, findings: Findings, wanted_id: str | None, language: str | None
) -> FormPlan | None:
    """Return the flow a RapidPro export's first flow becomes; None (reported) when it cannot."""
    export = _read(path, findings)
    if export is None:
        return None
    flows = export.get("flows")
    if not isinstance(flows, list) or not flows or not isinstance(flows[0], dict):
        findings.error(None, None, None, "the export holds no flow")
        return None
    for other in flows[1:]:
        name = other.get("name") if isinstance(other, dict) else None
        findings.warning(None, None, None, f"the export's other flow '{name}' is not imported")
    flow = flows[0]
    source = language or language_of(str(flow.get("language", "")))
    if source is None:
        message = (
            f"the flow's language '{flow.get('language')}' is not set or not known; give --language"
        )
        findings.error(None, None, None, message)
        return None
    others = _languages(flow, source, findings)
    graph = Graph.of(flow, source, others, findings)
    if graph is None:
        return None
    steps = walk_graph(graph, findings)
    if not steps and not findings.failed:
        findings.error(None, None, None, "no message or question of this flow can be carried over")
    if findings.failed:
        return None
    languages = [source, *others]
    offered = [c for c in languages if all(c in s.texts for s in steps)]
    offered = [c for c in offered if all(c in ch.labels for s in steps for ch in s.choices)]
    for code in languages:
        if code not in offered:
            message = f"the flow is not offered in '{code}': some texts have no translation there"
            findings.warning(None, None, None, message)
    name = str(flow.get("name") or path.stem)
    flow_id = as_flow_id(wanted_id or name)
    return FormPlan(flow_id, name, 1, source, languages, offered, steps, origin="node")


def _read(path: Path, findings: Findings) -> dict[str, Any] | None:
    data = path.read_bytes()[: MAX_BYTES + 1]
    if len(data) > MAX_BYTES:
        findings.error(None, None, None, f"the export is larger than {MAX_BYTES:,} bytes")
        return None
    try:
        export = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        message = f"this is not a RapidPro export: the JSON is broken ({error})"
        findings.error(None, None, None, message)
        return None
    if not isinstance(export, dict):
        findings.error(None, None, None, "this is not a RapidPro export")
        return None
    found = _VERSION.match(str(export.get("version", "")))
    if found is None or int(found.group()) < OLDEST_SPEC:
        message = (
            f"this export is in RapidPro's old format (version {export.get('version')}); open "
            "the flow in a current RapidPro and export it again"
        )
        findings.error(None, None, None, message)
        return None
    return export


def _languages(flow: dict[str, Any], source: str, findings: Findings) -> list[str]:
    codes = []
    localization = flow.get("localization")
    for written in localization if isinstance(localization, dict) else {}:
        code = language_of(str(written))
        if code is None:
            message = f"the translations into '{written}' are not read: no known language"
            findings.warning(None, None, None, message)
        elif code != source and code not in codes:
            codes.append(code)
    return codes
