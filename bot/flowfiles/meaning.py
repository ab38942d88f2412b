"""Read a flow's `meaning:` block: which answers are urgent, which mark a need, which step is which.

Rules are conditions in the `when:` language that may test any step; names of steps and
choices are checked here, so a renamed step is caught by `flows check`, not by a school
that silently stops receiving urgent alerts.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from yaml.nodes import MappingNode, Node, ScalarNode

from bot.engine.expr import Expr
from bot.engine.flow import Meaning, Need, StepKind
from bot.engine.meaning import BUILT_IN_NEEDS
from bot.flowfiles import nodes
from bot.flowfiles.conditions import check_rule
from bot.flowfiles.positions import Positions
from bot.flowfiles.problems import Code, Reporter
from bot.flowfiles.steps import StepDraft
from bot.flowfiles.yamltree import position

ROLES: Final = ("school", "consent", "group", "contact", "wishes")
KEYS: Final = ("urgent", "needs", *ROLES)
NEED_KEYS: Final = ("when", "label")
# The kinds of step each role can be: the school and consent are their own kinds, a
# group is read as a short answer, wishes are listed choices.
ROLE_KINDS: Final[dict[str, Collection[StepKind]]] = {
    "school": (StepKind.SCHOOL,),
    "consent": (StepKind.CONSENT,),
    "group": (StepKind.CHOICE, StepKind.NUMBER, StepKind.TEXT),
    "contact": (StepKind.CHOICE, StepKind.YESNO, StepKind.TEXT, StepKind.PHONE),
    "wishes": (StepKind.CHOICE, StepKind.MULTI),
}
LONGEST_NEED_KEY: Final = 40


def read_meaning(
    node: Node | None, drafts: list[StepDraft], report: Reporter, positions: Positions
) -> Meaning:
    """Return the flow's declarations, reporting every rule or name that does not fit."""
    fields: nodes.Items = {}
    if isinstance(node, MappingNode):
        fields = nodes.items(node, KEYS, report, None, "'meaning'")
    elif node is not None:
        message = "'meaning' must be a set of keys (urgent, needs, school, consent, ...)"
        report.error(position(node), None, Code.NOT_A_MAPPING, message)
    roles = {name: _role(name, fields, drafts, report, positions) for name in ROLES}
    urgent, urgent_label = (
        _urgent(fields["urgent"][1], drafts, report, positions)
        if ("urgent" in fields)
        else (None, None)
    )
    needs = _needs(fields["needs"][1], drafts, report, positions) if "needs" in fields else ()
    return Meaning(urgent=urgent, urgent_label=urgent_label, needs=needs, **roles)


def _urgent(
    node: Node, drafts: list[StepDraft], report: Reporter, positions: Positions
) -> tuple[Expr | None, str | None]:
    """Return the urgent rule and, when the flow gives one, the label the school reads."""
    if not isinstance(node, MappingNode):
        return _rule(node, drafts, report), None
    fields = nodes.items(node, NEED_KEYS, report, None, "'urgent'")
    label = None
    if "label" in fields:
        label = nodes.text(fields["label"][1], "label", report, None)
        positions.add(("meaning", "urgent", "label"), position(fields["label"][1]))
    if "when" not in fields:
        report.error(position(node), None, Code.MISSING, "'urgent' has no 'when': its rule")
        return None, label
    return _rule(fields["when"][1], drafts, report), label


def _role(
    name: str,
    fields: nodes.Items,
    drafts: list[StepDraft],
    report: Reporter,
    positions: Positions,
) -> str | None:
    kinds = ROLE_KINDS[name]
    if name not in fields:
        # The school and the consent are steps of their own kind: found without a word.
        found = [d.id for d in drafts if d.kind in kinds and d.id is not None]
        return found[0] if name in ("school", "consent") and found else None
    value = fields[name][1]
    positions.add(("meaning", name), position(value))
    step_id = nodes.text(value, name, report, None)
    if step_id is None:
        return None
    draft = next((d for d in drafts if d.id == step_id), None)
    if draft is None:
        known = [d.id for d in drafts if d.id is not None and d.kind in kinds]
        message = (
            f"'meaning: {name}' names step '{step_id}', which does not exist"
            f"{nodes.suggest(step_id, known)}"
        )
        report.error(position(value), step_id, Code.BAD_REFERENCE, message)
        return None
    if draft.kind is not None and draft.kind not in kinds:
        allowed = " or ".join(str(kind) for kind in kinds)
        message = (
            f"'meaning: {name}' must name a {allowed} step; '{step_id}' is a {draft.kind} step"
        )
        report.error(position(value), step_id, Code.BAD_REFERENCE, message)
        return None
    return step_id


def _rule(node: Node, drafts: list[StepDraft], report: Reporter) -> Expr | None:
    """Return a rule checked against the flow's steps, or None after reporting why not."""
    if isinstance(node, ScalarNode) and node.value.strip():
        return check_rule(node, drafts, report)
    message = "a rule must be a condition, such as: call_soon == yes"
    report.error(position(node), None, Code.WRONG_TYPE, message)
    return None


def _needs(
    node: Node, drafts: list[StepDraft], report: Reporter, positions: Positions
) -> tuple[Need, ...]:
    if not isinstance(node, MappingNode):
        message = (
            "'needs' must be a set of needs, each a key with its rule: device: devices has none"
        )
        report.error(position(node), None, Code.NOT_A_MAPPING, message)
        return ()
    found: list[Need] = []
    for key_node, value in nodes.items(node, _keys_of(node), report, None, "'needs'").values():
        why = "to keep digests and the export readable"
        key = nodes.identifier(key_node, "need", report, None, longest=LONGEST_NEED_KEY, why=why)
        need = _need(key, key_node, value, drafts, report) if key is not None else None
        if need is not None:
            positions.add(("meaning", "needs", need.key), position(key_node))
            if isinstance(value, MappingNode):
                label = next((v for k, v in value.value if k.value == "label"), key_node)
                positions.add(("meaning", "needs", need.key, "label"), position(label))
            found.append(need)
    return tuple(found)


def _need(
    key: str, key_node: Node, value: Node, drafts: list[StepDraft], report: Reporter
) -> Need | None:
    label: str | None = None
    rule_node: Node = value
    if isinstance(value, MappingNode):
        fields = nodes.items(value, NEED_KEYS, report, None, f"need '{key}'")
        if "label" in fields:
            label = nodes.text(fields["label"][1], "label", report, None)
        if "when" not in fields:
            message = f"need '{key}' has no 'when': the rule that marks it"
            report.error(position(value), None, Code.MISSING, message)
            return None
        rule_node = fields["when"][1]
    if label is None and key not in BUILT_IN_NEEDS:
        built_in = ", ".join(BUILT_IN_NEEDS)
        message = (
            f"need '{key}' is not one the bot knows ({built_in}); give it a 'label', "
            "the words the school reads"
        )
        report.error(position(key_node), None, Code.MISSING, message)
        return None
    rule = _rule(rule_node, drafts, report)
    return None if rule is None else Need(key, rule, label)


def _keys_of(node: MappingNode) -> list[str]:
    # Any need key is allowed; nodes.items still reports a key given twice.
    return [k.value for k, _ in node.value if isinstance(k, ScalarNode)]
