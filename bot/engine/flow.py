"""Flow definitions: the static, validated shape of a coordinator's question flow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine.expr import Expr


class StepKind(StrEnum):
    """The kinds of step a flow can hold."""

    MESSAGE = "message"
    CONSENT = "consent"
    CHOICE = "choice"
    MULTI = "multi"
    YESNO = "yesno"
    NUMBER = "number"
    TEXT = "text"
    PHONE = "phone"
    SCHOOL = "school"
    SUMMARY = "summary"


# Steps that never store an answer: they show something and move on.
UNANSWERED_KINDS = frozenset({StepKind.MESSAGE, StepKind.SUMMARY})


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a choice or multi step: a stable key and a label in the source language."""

    key: str
    label: str
    # Picking an exclusive choice in a multi step clears the others ("none of these").
    exclusive: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a flow, with its source-language texts."""

    id: str
    kind: StepKind
    text: str
    # Short name of the question in the summary; falls back to the text.
    label: str | None = None
    choices: tuple[Choice, ...] = ()
    optional: bool = False
    when: Expr | None = None
    # number: the accepted range; multi: how many choices at least/most.
    min: int | None = None
    max: int | None = None
    # text: the longest answer accepted, in characters.
    max_length: int | None = None
    # consent: what the parent reads after declining.
    declined: str | None = None
    # Asked once per family: a parent adding another child is not asked again.
    family: bool = False

    def choice(self, key: str) -> Choice | None:
        """Return the choice with this key, if the step has one."""
        for choice in self.choices:
            if choice.key == key:
                return choice
        return None

    @property
    def answered(self) -> bool:
        """Tell whether this step stores an answer."""
        return self.kind not in UNANSWERED_KINDS


@dataclass(frozen=True, slots=True)
class Need:
    """One need a flow marks: a key, the rule that marks it, and a label if the flow names one."""

    key: str
    when: Expr
    # In the flow's source language; a built-in need without one has the bot's own label.
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Meaning:
    """What a flow's answers mean to the school: urgency, needs, and which step is which."""

    urgent: Expr | None = None
    # What the digest calls an urgent family, in the source language; None: the bot's words.
    urgent_label: str | None = None
    needs: tuple[Need, ...] = ()
    # Step ids; None when the flow has no such step.
    school: str | None = None
    consent: str | None = None
    group: str | None = None
    contact: str | None = None
    # A multi step whose chosen answers are listed with the needs ("a laptop to borrow").
    wishes: str | None = None

    def steps(self) -> tuple[str, ...]:
        """Return the step ids the declarations name, in declaration order."""
        named = (self.school, self.consent, self.group, self.contact, self.wishes)
        return tuple(step_id for step_id in named if step_id is not None)


@dataclass(frozen=True, slots=True)
class Flow:
    """A whole flow: identity, languages and the ordered steps."""

    id: str
    version: int
    source_language: str
    languages: tuple[str, ...]
    steps: tuple[Step, ...]
    title: str = ""
    # A hash of the definition's content, so a running session can name exactly
    # the definition it started on even when the coordinator forgot to bump `version`.
    revision: str = ""
    # The days (Dutch dates, both included) new sessions may start; None: no limit that side.
    open_from: date | None = None
    open_until: date | None = None
    meaning: Meaning = field(default_factory=Meaning)
    _index: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {s.id: i for i, s in enumerate(self.steps)})

    def is_open(self, today: date) -> bool:
        """Tell whether a new session may start on this flow today."""
        if self.open_from is not None and today < self.open_from:
            return False
        return self.open_until is None or today <= self.open_until

    def step(self, step_id: str) -> Step:
        """Return the step with this id (KeyError when the flow has none)."""
        return self.steps[self._index[step_id]]

    def has_step(self, step_id: str) -> bool:
        """Tell whether the flow has a step with this id."""
        return step_id in self._index

    def position(self, step_id: str) -> int:
        """Return the step's index in the flow."""
        return self._index[step_id]

    def context(self, step: Step, choice: Choice | None = None) -> str:
        """Return the gettext message context of a step's text or of one of its choices."""
        if choice is None:
            return f"{self.id}:{step.id}"
        return f"{self.id}:{step.id}:{choice.key}"

    def urgent_context(self) -> str:
        """Return the gettext message context of the urgent mark's label."""
        return f"{self.id}:meaning.urgent"

    def need_context(self, key: str) -> str:
        """Return the gettext message context of a need's label (no step id holds a dot)."""
        return f"{self.id}:need.{key}"
