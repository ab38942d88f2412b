"""List the texts of a flow that translators translate, with their gettext keys and lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from bot.engine.flow import Choice, Flow, Step, StepKind
from bot.flowfiles.positions import Position, Positions

Field = Literal["text", "label", "declined"]

# The values the bot puts into flow texts, from the installation's settings
# (bot/parents/privacy.py fills them): a text may name them as {organisation} and so on.
PLACEHOLDERS: Final = frozenset(
    {"organisation", "privacy_url", "retention_days", "retention_open_days"}
)

# What the main text of a step is, in the translator's words.
_TEXT_ROLES: Final = {
    StepKind.MESSAGE: "message to the parent",
    StepKind.SUMMARY: "shown above the answers in the summary",
}


@dataclass(frozen=True, slots=True)
class FlowText:
    """One translatable text of a flow: its step (or need) and field, gettext key and place."""

    step: Step | None
    choice: Choice | None
    field: Field
    # The gettext key: message context and message id (the source-language text).
    context: str
    source: str
    position: Position
    # The need whose label this is; such a text belongs to no step.
    need: str | None = None

    @property
    def step_id(self) -> str | None:
        """Return the id of the step the text belongs to, None for a need's label."""
        return None if self.step is None else self.step.id

    @property
    def _urgent_label(self) -> bool:
        # No step id or need key holds a dot, so this context is the urgent mark's alone.
        return self.step is None and self.context.endswith(":meaning.urgent")

    @property
    def comment(self) -> str:
        """Return a note for translators saying which step this is and what the text does."""
        step = self.step
        if step is None and self._urgent_label:
            return "urgent: what the school's digest and alert say of an urgent family"
        if step is None:
            return f"need {self.need}: what the school's digest says the family needs"
        if self.choice is not None:
            return f"step {step.id}, choice {self.choice.key}"
        if self.field == "label":
            return f"step {step.id}: short name in the summary"
        if self.field == "declined":
            return f"step {step.id}: shown after declining"
        return f"step {step.id} ({step.kind}): {_TEXT_ROLES.get(step.kind, 'question')}"

    def describe(self, shown: str) -> str:
        """Return what this text is, in a coordinator's words, quoting `shown` of it."""
        if self.choice is not None:
            return f"the label '{shown}' of choice '{self.choice.key}'"
        if self._urgent_label:
            return f"the label '{shown}' of 'urgent'"
        if self.need is not None:
            return f"the label '{shown}' of need '{self.need}'"
        what = {"text": "the text", "label": "the label", "declined": "the declined text"}
        return f"{what[self.field]} '{shown}'"


def flow_texts(flow: Flow, positions: Positions) -> list[FlowText]:
    """Return every translatable text of a flow, in the order they appear in its file."""
    found: list[FlowText] = []
    for step in flow.steps:
        context = flow.context(step)
        # A label names an answer in the summary; on a step without one it is never
        # shown (the loader warns), so translators are not asked for it.
        label = step.label if step.answered else None
        own: tuple[tuple[Field, str | None], ...] = (
            ("text", step.text),
            ("label", label),
            ("declined", step.declined),
        )
        for name, value in own:
            if value is not None:
                where = positions.step(step.id, name)
                found.append(FlowText(step, None, name, context, value, where))
        for choice in step.choices:
            where = positions.choice(step.id, choice.key, "label")
            found.append(
                FlowText(step, choice, "label", flow.context(step, choice), choice.label, where)
            )
    if flow.meaning.urgent_label is not None:
        where = positions.get(("meaning", "urgent", "label"))
        label = flow.meaning.urgent_label
        found.append(FlowText(None, None, "label", flow.urgent_context(), label, where))
    for need in flow.meaning.needs:
        if need.label is not None:
            where = positions.get(("meaning", "needs", need.key, "label"))
            context = flow.need_context(need.key)
            found.append(FlowText(None, None, "label", context, need.label, where, need.key))
    # File order, not field order: a coordinator may write label before text.
    return sorted(found, key=lambda t: (t.position.line, t.position.column))
