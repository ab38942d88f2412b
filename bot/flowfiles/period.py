"""A flow's open period: `open_from` and `open_until`, Dutch dates, both days included."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from yaml.nodes import ScalarNode

from bot.flowfiles import nodes
from bot.flowfiles.problems import Code, Reporter
from bot.flowfiles.yamltree import position

KEYS: Final = ("open_from", "open_until")
_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_period(fields: nodes.Items, report: Reporter) -> tuple[date | None, date | None]:
    """Return the first and last day new sessions may start; None where the flow sets none."""
    found = {key: _day(fields, key, report) for key in KEYS}
    first, last = found["open_from"], found["open_until"]
    if first is not None and last is not None and last < first:
        message = (
            f"'open_until' ({last.isoformat()}) comes before 'open_from' ({first.isoformat()}): "
            "the flow would never be open"
        )
        report.error(position(fields["open_until"][1]), None, Code.BAD_RANGE, message)
    return first, last


def _day(fields: nodes.Items, key: str, report: Reporter) -> date | None:
    if key not in fields:
        return None
    node = fields[key][1]
    # YAML reads 2027-01-10 as a date; the source text is what the coordinator typed.
    typed = node.value if isinstance(node, ScalarNode) else None
    if isinstance(typed, str) and _DAY.fullmatch(typed):
        try:
            return date.fromisoformat(typed)
        except ValueError:
            pass  # 2027-02-30: written right, but no such day
    message = f"'{key}' must be a date written as YYYY-MM-DD, such as 2027-01-10"
    report.error(position(node), None, Code.BAD_VALUE, message)
    return None
