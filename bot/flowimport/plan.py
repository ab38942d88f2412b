"""What an import makes of a form: the flow's steps, with their texts in every language."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.flow import StepKind


@dataclass
class ChoicePlan:
    """One choice: the key it gets and its label by language."""

    key: str
    labels: dict[str, str]
    # Where it is in the choices sheet, for the flow file's comments.
    row: int


@dataclass
class StepPlan:
    """One step to write, from one survey row."""

    id: str
    kind: StepKind
    texts: dict[str, str]
    row: int
    name: str
    choices: list[ChoicePlan] = field(default_factory=list)
    optional: bool = False
    when: str | None = None
    min: int | None = None
    max: int | None = None
    max_length: int | None = None


@dataclass
class FormPlan:
    """The whole flow to write: identity, languages, steps."""

    flow_id: str
    title: str
    version: int
    source_language: str
    # Every language the form carries, and those complete enough to offer.
    languages: list[str]
    offered: list[str]
    steps: list[StepPlan]
    # What a step's row number counts, for the flow file's comments.
    origin: str = "survey row"
