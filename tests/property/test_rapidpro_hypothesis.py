"""RapidPro exports changed at random: the import answers every one without an exception."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.flowfiles.loader import parse_flow
from bot.flowimport.document import flow_yaml
from bot.flowimport.findings import Findings
from bot.flowimport.rapidpro import plan_rapidpro

EXPORT = Path(__file__).parent.parent.parent.parent / "shared" / "data" / "surveys"
FAVORITES = json.loads((EXPORT / "rapidpro_favorites_v13_eng_spa.json").read_text("utf-8"))
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.just([]), st.just({})
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


PLACES = _places(FAVORITES)[1:]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES), JUNK), max_size=4))
def test_a_changed_export_is_planned_or_refused_never_raised(
    changes: list[tuple[tuple[Any, ...], Any]], tmp_path_factory: Any
) -> None:
    export = copy.deepcopy(FAVORITES)
    for path, junk in changes:
        target = export
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = junk
        except (KeyError, IndexError, TypeError):
            continue  # An earlier change removed the place.
    file = tmp_path_factory.mktemp("export") / "export.json"
    file.write_text(json.dumps(export), "utf-8")
    findings = Findings()

    plan = plan_rapidpro(file, findings, None, None)

    assert plan is not None or findings.failed
    if plan is not None:
        # Whatever was planned can be written as a flow file.
        parse_flow(flow_yaml(plan, file.name).encode(), str(file))
