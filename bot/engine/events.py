"""What the engine reports back: events in the past tense, for the caller to act on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine.flow import StepKind
from bot.engine.inputs import Input
from bot.engine.state import AnswerValue


@dataclass(frozen=True, slots=True)
class Option:
    """A button under a question: what it says, and the input it gives when pressed."""

    label: str
    input: Input
    # On a multi question: whether this choice is toggled on.
    selected: bool = False


@dataclass(frozen=True, slots=True)
class Progress:
    """Where the parent is: question `current` of `total` that will be asked."""

    current: int
    total: int


@dataclass(frozen=True, slots=True)
class QuestionAsked:
    """A question was put to the parent, rendered in their language."""

    step_id: str
    kind: StepKind
    text: str
    options: tuple[Option, ...]
    progress: Progress | None
    # How to answer ("Type a number from 1 to 8."), already translated.
    hint: str
    # Identifies this asking; a button that carries an older seq is stale.
    seq: int
    # The rendered progress line ("Question 3 of 9"), empty where there is none.
    progress_text: str = ""


@dataclass(frozen=True, slots=True)
class MessageShown:
    """A text that needs no answer was shown."""

    step_id: str
    text: str


@dataclass(frozen=True, slots=True)
class AnswerRecorded:
    """An answer was stored for a step; None means the parent skipped it."""

    step_id: str
    value: AnswerValue


@dataclass(frozen=True, slots=True)
class AnswersDropped:
    """Answers were removed: their steps no longer apply, or the parent restarted."""

    step_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnswerRejected:
    """An input did not fit the question; `reason` says what to do, in the parent's language."""

    step_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class InputIgnored:
    """An input changed nothing: a button of an old question, or a flow already finished."""

    reason: str


@dataclass(frozen=True, slots=True)
class FlowCompleted:
    """The parent confirmed and finished the flow."""

    flow_id: str
    flow_version: int
    answers: Mapping[str, AnswerValue]
    context: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class FlowDeclined:
    """The parent declined consent; nothing of theirs is kept."""

    flow_id: str


Event = (
    QuestionAsked
    | MessageShown
    | AnswerRecorded
    | AnswersDropped
    | AnswerRejected
    | InputIgnored
    | FlowCompleted
    | FlowDeclined
)

# Reasons of InputIgnored, for callers that answer each differently.
STALE = "stale"
FINISHED = "finished"
