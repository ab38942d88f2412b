"""Read one step of a flow file, checking the rules that concern that step alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from yaml.nodes import MappingNode, Node, ScalarNode

from bot.engine.flow import UNANSWERED_KINDS, Choice, StepKind
from bot.flowfiles import nodes
from bot.flowfiles.positions import Position, Positions, choice_path, step_path
from bot.flowfiles.problems import Code, Reporter
from bot.flowfiles.yamltree import position
from bot.messages.callbacks import MAX_BYTES, longest_choice_key, longest_step_id

STEP_KEYS: Final = (
    "id",
    "kind",
    "text",
    "label",
    "choices",
    "optional",
    "when",
    "min",
    "max",
    "max_length",
    "declined",
    "family",
)
CHOICE_KEYS: Final = ("key", "label", "exclusive")
KINDS: Final = tuple(kind.value for kind in StepKind)
CHOICE_KINDS: Final = frozenset({StepKind.CHOICE, StepKind.MULTI})
RANGE_KINDS: Final = frozenset({StepKind.NUMBER, StepKind.MULTI})
BUTTON: Final = f"because a Telegram button carries it in its {MAX_BYTES} bytes of data"


@dataclass
class StepDraft:
    """What was read of one step, before its condition is checked against the others."""

    node: Node
    id: str | None = None
    # The id as written, even when invalid, so that messages can still name the step.
    written_id: str | None = None
    # Where the id is written, for "this id is used twice".
    id_at: Position | None = None
    kind: StepKind | None = None
    text: str | None = None
    label: str | None = None
    choices: list[Choice] = field(default_factory=list)
    # Choices written, valid or not, so one broken choice is not also "too few choices".
    choice_count: int = 0
    optional: bool = False
    when: ScalarNode | None = None
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    declined: str | None = None
    family: bool = False


def read_step(node: Node, report: Reporter, positions: Positions) -> StepDraft:
    """Read one item of `steps`, reporting what is wrong with it."""
    draft = StepDraft(node)
    if not isinstance(node, MappingNode):
        message = "each step must be a set of keys such as id, kind and text"
        report.error(position(node), None, Code.NOT_A_MAPPING, message)
        return draft
    fields = nodes.items(node, STEP_KEYS, report, _raw_id(node), "a step")
    if "id" in fields:
        draft.id = nodes.identifier(
            fields["id"][1], "step id", report, _raw_id(node), longest=longest_step_id(), why=BUTTON
        )
        draft.id_at = position(fields["id"][1])
    else:
        report.error(position(node), None, Code.MISSING, "this step has no 'id'")
    sid = draft.written_id = draft.id if draft.id is not None else _raw_id(node)
    if draft.id is not None:
        positions.add(step_path(draft.id), position(node))
        for name, (_, value) in fields.items():
            positions.add(step_path(draft.id, name), position(value))
    _read_kind(draft, fields, report, sid)
    _read_values(draft, fields, report, sid)
    if "choices" in fields:
        _read_choices(draft, fields["choices"][1], report, positions, sid)
    _check_kind_rules(draft, fields, report, sid)
    return draft


def _raw_id(node: MappingNode) -> str | None:
    for key_node, value_node in node.value:
        is_id = isinstance(key_node, ScalarNode) and key_node.value == "id"
        if is_id and isinstance(value_node, ScalarNode) and value_node.value:
            return str(value_node.value)
    return None


def _read_kind(draft: StepDraft, fields: nodes.Items, report: Reporter, sid: str | None) -> None:
    if "kind" not in fields:
        report.error(position(draft.node), sid, Code.MISSING, "this step has no 'kind'")
        return
    value_node = fields["kind"][1]
    kind = nodes.text(value_node, "kind", report, sid)
    if kind is None:
        return
    if kind not in KINDS:
        message = (
            f"unknown kind '{kind}'{nodes.suggest(kind, KINDS)}; use one of {', '.join(KINDS)}"
        )
        report.error(position(value_node), sid, Code.UNKNOWN_KIND, message)
        return
    draft.kind = StepKind(kind)


def _read_values(draft: StepDraft, fields: nodes.Items, report: Reporter, sid: str | None) -> None:
    if "text" in fields:
        draft.text = nodes.text(fields["text"][1], "text", report, sid)
    else:
        report.error(position(draft.node), sid, Code.MISSING, "this step has no 'text'")
    if "label" in fields:
        draft.label = nodes.text(fields["label"][1], "label", report, sid)
    if "declined" in fields:
        draft.declined = nodes.text(fields["declined"][1], "declined", report, sid)
    if "optional" in fields:
        draft.optional = bool(nodes.boolean(fields["optional"][1], "optional", report, sid))
    if "family" in fields:
        draft.family = bool(nodes.boolean(fields["family"][1], "family", report, sid))
    for name in ("min", "max"):
        if name in fields:
            setattr(draft, name, nodes.integer(fields[name][1], name, report, sid))
    if "max_length" in fields:
        value_node = fields["max_length"][1]
        draft.max_length = nodes.integer(value_node, "max_length", report, sid)
        if draft.max_length is not None and draft.max_length < 1:
            message = "'max_length' must be at least 1"
            report.error(position(value_node), sid, Code.BAD_VALUE, message)
    if "when" in fields:
        value_node = fields["when"][1]
        if nodes.text(value_node, "when", report, sid) is not None:
            assert isinstance(value_node, ScalarNode)
            draft.when = value_node


def _read_choices(
    draft: StepDraft, node: Node, report: Reporter, positions: Positions, sid: str | None
) -> None:
    items = nodes.sequence(node, "choices", report, sid)
    seen: dict[str, int] = {}
    for item in items or ():
        draft.choice_count += 1
        if not isinstance(item, MappingNode):
            message = "each choice must have a key and a label, as in {key: none, label: Geen}"
            report.error(position(item), sid, Code.NOT_A_MAPPING, message)
            continue
        fields = nodes.items(item, CHOICE_KEYS, report, sid, "a choice")
        key = label = None
        if "key" in fields:
            key = nodes.identifier(
                fields["key"][1],
                "choice key",
                report,
                sid,
                longest=longest_choice_key(),
                why=BUTTON,
            )
        else:
            report.error(position(item), sid, Code.MISSING, "this choice has no 'key'")
        if "label" in fields:
            label = nodes.text(fields["label"][1], "label", report, sid)
        else:
            report.error(position(item), sid, Code.MISSING, "this choice has no 'label'")
        exclusive = False
        if "exclusive" in fields:
            exclusive_node = fields["exclusive"][0]
            exclusive = bool(nodes.boolean(fields["exclusive"][1], "exclusive", report, sid))
            if draft.kind is not None and draft.kind is not StepKind.MULTI:
                message = "'exclusive' only applies to the choices of a multi step"
                report.error(position(exclusive_node), sid, Code.MISPLACED, message)
        if key is None:
            continue
        if key in seen:
            message = f"choice key '{key}' is used twice in this step (first on line {seen[key]})"
            report.error(position(fields["key"][1]), sid, Code.DUPLICATE_CHOICE, message)
            continue
        seen[key] = position(item).line
        if draft.id is not None:
            positions.add(choice_path(draft.id, key), position(item))
            for name, (_, value) in fields.items():
                positions.add(choice_path(draft.id, key, name), position(value))
        if label is not None:
            draft.choices.append(Choice(key, label, exclusive))


def _check_kind_rules(
    draft: StepDraft, fields: nodes.Items, report: Reporter, sid: str | None
) -> None:
    kind = draft.kind
    if kind is None:
        return

    def misplaced(name: str, where: str) -> None:
        if name in fields:
            message = f"'{name}' only applies to {where}, not to a {kind} step"
            report.error(position(fields[name][0]), sid, Code.MISPLACED, message)

    if kind not in CHOICE_KINDS:
        misplaced("choices", "choice and multi steps")
    elif draft.choice_count < 2:
        where = position(fields["choices"][1] if "choices" in fields else draft.node)
        message = f"a {kind} step needs at least two choices"
        report.error(where, sid, Code.TOO_FEW_CHOICES, message)
    if kind is not StepKind.CONSENT:
        misplaced("declined", "consent steps")
    if kind not in RANGE_KINDS:
        misplaced("min", "number and multi steps")
        misplaced("max", "number and multi steps")
    if kind is not StepKind.TEXT:
        misplaced("max_length", "text steps")
    if kind in RANGE_KINDS:
        _check_range(draft, fields, report, sid)
    if kind in UNANSWERED_KINDS:
        _warn_unused(draft, fields, report, sid)


def _warn_unused(draft: StepDraft, fields: nodes.Items, report: Reporter, sid: str | None) -> None:
    # Harmless but misleading: the coordinator expects something that never happens.
    if draft.optional:
        message = f"'optional' has no effect on a {draft.kind} step, which asks nothing"
        report.warning(position(fields["optional"][0]), sid, Code.UNUSED, message)
    if "label" in fields:
        message = (
            f"'label' is never shown for a {draft.kind} step, which has no answer to summarise"
        )
        report.warning(position(fields["label"][0]), sid, Code.UNUSED, message)
    if draft.family:
        message = f"'family' has no effect on a {draft.kind} step, which stores no answer"
        report.warning(position(fields["family"][0]), sid, Code.UNUSED, message)


def _check_range(draft: StepDraft, fields: nodes.Items, report: Reporter, sid: str | None) -> None:
    low, high = draft.min, draft.max
    if low is not None and high is not None and low > high:
        message = f"'min' ({low}) is larger than 'max' ({high})"
        report.error(position(fields["min"][1]), sid, Code.BAD_RANGE, message)
        return
    if draft.kind is not StepKind.MULTI or draft.choice_count < 2:
        return
    count = draft.choice_count
    if low is not None and not 0 <= low <= count:
        message = f"'min' must be between 0 and {count}, the number of choices"
        report.error(position(fields["min"][1]), sid, Code.BAD_RANGE, message)
    if high is not None and not 1 <= high <= count:
        message = f"'max' must be between 1 and {count}, the number of choices"
        report.error(position(fields["max"][1]), sid, Code.BAD_RANGE, message)
