"""Follow a RapidPro flow's nodes from the first into one line of steps, with conditions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine.flow import StepKind
from bot.flowimport.expressions import combine, literal
from bot.flowimport.findings import Findings
from bot.flowimport.names import Namer, choice_namer, step_namer
from bot.flowimport.plan import ChoicePlan, StepPlan
from bot.flowimport.rapidpro_graph import EXPRESSION, Graph, actions, categories, tested


@dataclass
class _Walk:
    graph: Graph
    findings: Findings
    steps: list[StepPlan] = field(default_factory=list)
    pending: list[StepPlan] = field(default_factory=list)
    # Conditions every later step needs: a category that ended the flow in RapidPro.
    stops: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    namer: Namer = field(default_factory=step_namer)

    def warn(self, uuid: str, message: str) -> None:
        self.findings.warning(None, None, None, f"node {self.graph.number(uuid)}: {message}")

    def message(
        self, uuid: str, action: dict[str, Any], when: str | None = None
    ) -> StepPlan | None:
        texts = {c: self.plain(uuid, t) for c, t in self.graph.texts(action, "text").items()}
        if self.graph.source not in texts:
            self.warn(uuid, f"a message has no text in '{self.graph.source}' and is left out")
            return None
        number = self.graph.number(uuid)
        step = StepPlan(self.namer.name(f"message_{number}"), StepKind.MESSAGE, texts, number, "")
        step.when = combine([*self.stops, *([when] if when else [])])
        return step

    def plain(self, uuid: str, text: str) -> str:
        if EXPRESSION.search(text):
            self.warn(
                uuid, "a text shows another value (@...); a flow text cannot, so it reads '…'"
            )
        return EXPRESSION.sub("…", text)

    def flush(self) -> None:
        self.steps.extend(self.pending)
        self.pending.clear()


def walk_graph(graph: Graph, findings: Findings) -> list[StepPlan]:
    """Return the steps met from the first node on, reporting what a flow cannot hold."""
    walk = _Walk(graph, findings)
    current: str | None = graph.order[0]
    while current is not None and current not in walk.seen:
        if current not in graph.nodes:
            findings.warning(
                None, None, None, f"an exit leads to node {current}, which is not there"
            )
            break
        walk.seen.add(current)
        current = _node(walk, current)
    walk.flush()
    return walk.steps


def _node(walk: _Walk, uuid: str) -> str | None:
    node = walk.graph.nodes[uuid]
    for action in actions(node):
        if action.get("type") == "send_msg":
            message = walk.message(uuid, action)
            if message is not None:
                walk.pending.append(message)
        else:
            walk.warn(uuid, f"the action '{action.get('type')}' is not carried over")
    router = node.get("router")
    exits = walk.graph.exits(node)
    if not isinstance(router, dict):
        return next(iter(exits.values()), None)
    wait = router.get("wait")
    if not isinstance(wait, dict) or wait.get("type") != "msg":
        walk.warn(
            uuid, "a split that waits for no answer is not carried over; its first way is followed"
        )
        return next((d for d in exits.values() if d is not None), None)
    return _question(walk, uuid, router, exits)


def _question(
    walk: _Walk, uuid: str, router: dict[str, Any], exits: dict[str, str | None]
) -> str | None:
    name = str(router.get("result_name") or f"answer_{walk.graph.number(uuid)}")
    asked = walk.pending.pop() if walk.pending else None
    walk.flush()
    texts = asked.texts if asked is not None else {walk.graph.source: name}
    if asked is None:
        walk.warn(uuid, f"no message asks for '{name}'; its name is shown instead")
    step = StepPlan(walk.namer.name(name), StepKind.TEXT, texts, walk.graph.number(uuid), name)
    step.when = combine(walk.stops)
    walk.steps.append(step)
    cases = tested(router)
    keys = choice_namer()
    by_destination: dict[str | None, list[str]] = {}
    for category in categories(router):
        destination = exits.get(str(category.get("exit_uuid")))
        if str(category.get("uuid")) not in cases:
            if cases:
                walk.warn(
                    uuid,
                    f"the category '{category.get('name')}' is not carried over: "
                    "parents tap one of the choices",
                )
            else:
                by_destination.setdefault(destination, [])
            continue
        labels = walk.graph.texts(category, "name")
        key = keys.name(str(category.get("name") or "choice"))
        labels.setdefault(walk.graph.source, key)
        choice = ChoicePlan(key, labels, step.row)
        step.choices.append(choice)
        by_destination.setdefault(destination, []).append(choice.key)
    if len(step.choices) >= 2:
        step.kind = StepKind.CHOICE
    elif step.choices:
        walk.warn(uuid, "a question with one choice is asked as a typed answer")
        step.choices = []
    return _branches(walk, uuid, step, by_destination)


def _branches(
    walk: _Walk, uuid: str, step: StepPlan, by_destination: dict[str | None, list[str]]
) -> str | None:
    ended = by_destination.pop(None, [])
    if ended and by_destination:
        walk.stops.append(_test(step.id, ended, negated=True))
    if len(by_destination) <= 1:
        return next(iter(by_destination), None)
    joins: list[str | None] = []
    for destination, keys in by_destination.items():
        assert destination is not None
        node = walk.graph.nodes.get(destination)
        if node is None or isinstance(node.get("router"), dict) or destination in walk.seen:
            walk.warn(
                uuid,
                f"the way for {', '.join(keys)} leads to other questions, which a flow of "
                "one line cannot hold; it is not followed",
            )
            continue
        walk.seen.add(destination)
        for action in actions(node):
            message = None
            if action.get("type") == "send_msg":
                message = walk.message(destination, action, _test(step.id, keys))
            if message is not None:
                walk.steps.append(message)
        joins.append(next(iter(walk.graph.exits(node).values()), None))
    if len(set(joins)) > 1:
        walk.warn(uuid, "its ways do not meet again; the flow goes on along the first")
    return joins[0] if joins else None


def _test(step_id: str, keys: list[str], negated: bool = False) -> str:
    if len(keys) == 1:
        return f"{step_id} {'!=' if negated else '=='} {literal(keys[0])}"
    listed = ", ".join(literal(k) for k in keys)
    return f"{step_id} {'not in' if negated else 'in'} [{listed}]"
