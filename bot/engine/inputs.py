"""What a parent can give the engine: a choice, a typed text, a voice note, or a command."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CommandName(StrEnum):
    """Commands that move through a flow rather than answer it."""

    BACK = "back"
    SKIP = "skip"
    RESTART = "restart"
    # Finish a multi question with the choices toggled so far.
    DONE = "done"
    # Confirm the summary.
    CONFIRM = "confirm"
    # Change one earlier answer from the summary; `arg` names the step.
    CHANGE = "change"


@dataclass(frozen=True, slots=True)
class Choose:
    """Pick a choice key: the answer of a choice step, a toggle on a multi step."""

    key: str
    # The question this choice was offered on (QuestionAsked.seq); None when unknown.
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Text:
    """A typed answer."""

    text: str


@dataclass(frozen=True, slots=True)
class Spoken:
    """A voice note, by the id its messenger keeps it under: an answer to a free-text question."""

    file_id: str


@dataclass(frozen=True, slots=True)
class Command:
    """A command, optionally with an argument (the step id for CHANGE)."""

    name: CommandName
    arg: str | None = None
    seq: int | None = None


Input = Choose | Text | Spoken | Command
