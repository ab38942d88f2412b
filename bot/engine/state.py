"""A parent's way through one flow, as plain JSON-serializable data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

# A button carries the number of the question it was shown on; the count wraps here so
# that the number, and with it the button's data, never has more than six digits.
SEQ_LIMIT = 1_000_000

# What one answer holds: a choice key, a typed text, a number, several keys, or
# None for a skipped optional step.
AnswerValue = str | int | tuple[str, ...] | None


class Status(StrEnum):
    """Where a session stands."""

    ACTIVE = "active"
    COMPLETED = "completed"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class SchoolMatch:
    """A school offered to the parent while looking it up."""

    code: str
    name: str
    town: str


@dataclass(frozen=True, slots=True)
class SessionState:
    """Everything the engine needs to continue a session."""

    flow_id: str
    flow_version: int
    flow_revision: str
    language: str
    status: Status = Status.ACTIVE
    # The step being asked now; None before the start and after the end.
    current: str | None = None
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)
    # Steps asked and answered, in order, so that back returns to what was really asked.
    history: tuple[str, ...] = ()
    # Choices toggled on the current multi question, not yet done.
    pending: tuple[str, ...] = ()
    # What the parent arrived with, such as {"school": "16AH00"} from a school link.
    context: Mapping[str, str] = field(default_factory=dict)
    # Schools offered on the current school question, after the parent typed a name.
    school_matches: tuple[SchoolMatch, ...] = ()
    # Answers the family gave for an earlier child, for the steps marked `family`.
    known: Mapping[str, AnswerValue] = field(default_factory=dict)
    # Set while changing an answer from the summary: go back to it afterwards.
    return_to: str | None = None
    # Counts the questions asked, so that a button pressed on an old one is recognised.
    seq: int = 0

    def with_changes(self, **changes: Any) -> SessionState:
        """Return a copy with the given fields replaced."""
        # dataclasses.replace re-runs __init__ and was the engine's hottest call.
        clone = object.__new__(SessionState)
        for name in _FIELDS:
            object.__setattr__(
                clone, name, changes.pop(name) if name in changes else getattr(self, name)
            )
        if changes:
            raise TypeError(f"SessionState has no field {next(iter(changes))!r}")
        return clone

    def to_json(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data."""
        # Field by field: dataclasses.asdict deep-copies everything first, and this runs
        # on every answer a parent gives.
        return {
            "flow_id": self.flow_id,
            "flow_version": self.flow_version,
            "flow_revision": self.flow_revision,
            "language": self.language,
            "status": self.status.value,
            "current": self.current,
            "answers": _json_answers(self.answers),
            "history": list(self.history),
            "pending": list(self.pending),
            "context": dict(self.context),
            "school_matches": [
                {"code": m.code, "name": m.name, "town": m.town} for m in self.school_matches
            ],
            "known": _json_answers(self.known),
            "return_to": self.return_to,
            "seq": self.seq,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SessionState:
        """Rebuild a state from `to_json` data."""
        return cls(
            flow_id=data["flow_id"],
            flow_version=int(data["flow_version"]),
            flow_revision=data.get("flow_revision", ""),
            language=data["language"],
            status=Status(data.get("status", Status.ACTIVE)),
            current=data.get("current"),
            answers={
                k: tuple(v) if isinstance(v, list) else v
                for k, v in data.get("answers", {}).items()
            },
            known={
                k: tuple(v) if isinstance(v, list) else v for k, v in data.get("known", {}).items()
            },
            history=tuple(data.get("history", ())),
            pending=tuple(data.get("pending", ())),
            context=dict(data.get("context", {})),
            school_matches=tuple(SchoolMatch(**m) for m in data.get("school_matches", ())),
            return_to=data.get("return_to"),
            seq=int(data.get("seq", 0)),
        )


_FIELDS = tuple(f.name for f in fields(SessionState))


def _json_answers(answers: Mapping[str, AnswerValue]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
