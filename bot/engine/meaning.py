"""What a family's answers mean, read from the flow's own declarations: urgent, and which needs.

Digests, alerts, the export and the follow-up list ask here, so that a flow whose steps
are named otherwise still marks its families as its coordinator declared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bot.engine.expr import Expr
from bot.engine.flow import Flow, Need
from bot.engine.state import AnswerValue

NeedKey = str

# Needs the bot knows by name: the school's digest has its own label for each, and puts a
# family without a device or without internet in the section right after the urgent ones.
DEVICE: Final = "device"
INTERNET: Final = "internet"
HELP: Final = "help"
INTERPRETER: Final = "interpreter"
BUILT_IN_NEEDS: Final = (DEVICE, INTERNET, HELP, INTERPRETER)
BASIC_NEEDS: Final = frozenset({DEVICE, INTERNET})


def urgent(flow: Flow, answers: Mapping[str, object]) -> bool:
    """Tell whether the flow's urgent rule holds for these answers."""
    return _holds(flow.meaning.urgent, _values(answers))


def needs(flow: Flow, answers: Mapping[str, object]) -> tuple[NeedKey, ...]:
    """Return the keys of the needs whose rule holds, in the flow's order, each once."""
    return tuple(need.key for need in marked(flow, answers))


def marked(flow: Flow, answers: Mapping[str, object]) -> tuple[Need, ...]:
    """Return the declared needs whose rule holds; a key declared twice counts once."""
    values = _values(answers)
    found: dict[str, Need] = {}
    for need in flow.meaning.needs:
        if need.key not in found and _holds(need.when, values):
            found[need.key] = need
    return tuple(found.values())


def answer_of(flow: Flow, step_id: str | None, answers: Mapping[str, object]) -> object:
    """Return the stored answer of a declared step (group, contact...), None without one."""
    if step_id is None or not flow.has_step(step_id):
        return None
    return answers.get(step_id)


def _holds(rule: Expr | None, values: Mapping[str, AnswerValue]) -> bool:
    # A rule still waiting on an unanswered step (None) does not mark the family.
    return rule is not None and rule.evaluate(values) is True


def _values(answers: Mapping[str, object]) -> dict[str, AnswerValue]:
    """Return stored answers as conditions read them: a multi answer as a tuple of keys."""
    values: dict[str, AnswerValue] = {}
    for step_id, value in answers.items():
        if isinstance(value, list | tuple):
            values[step_id] = tuple(str(v) for v in value)
        elif value is None or isinstance(value, str | int):
            values[step_id] = value
    return values
