"""Button data: what an inline button sends back, at most 64 bytes as Telegram allows."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.inputs import Choose, Command, CommandName, Input
from bot.engine.state import SEQ_LIMIT

MAX_BYTES = 64


@dataclass(frozen=True, slots=True)
class PickLanguage:
    """The parent picked a language."""

    code: str


@dataclass(frozen=True, slots=True)
class ConfirmDelete:
    """The parent answered the erase question; `issued` is when the question was asked."""

    confirmed: bool
    issued: int


@dataclass(frozen=True, slots=True)
class AnotherChild:
    """After finishing: 'same' school, 'other' school, or 'none'."""

    choice: str


@dataclass(frozen=True, slots=True)
class FollowUp:
    """School staff marked a family: 'contacted' or 'helped', from a digest (0: an alert)."""

    status: str
    response_id: int
    digest_id: int


FOLLOWUP_CODES = {"contacted": "c", "helped": "h"}
_FOLLOWUP_STATUSES = {code: status for status, code in FOLLOWUP_CODES.items()}

Pressed = Input | PickLanguage | ConfirmDelete | AnotherChild | FollowUp


def encode(pressed: Pressed) -> str:
    """Return the button data for an action (ValueError when it would not fit)."""
    if isinstance(pressed, Choose):
        data = f"c:{pressed.seq or 0}:{pressed.key}"
    elif isinstance(pressed, Command):
        data = f"k:{pressed.seq or 0}:{pressed.name.value}"
        if pressed.arg is not None:
            data += f":{pressed.arg}"
    elif isinstance(pressed, PickLanguage):
        data = f"lang:{pressed.code}"
    elif isinstance(pressed, ConfirmDelete):
        data = f"del:{'yes' if pressed.confirmed else 'no'}:{pressed.issued}"
    elif isinstance(pressed, AnotherChild):
        data = f"child:{pressed.choice}"
    elif isinstance(pressed, FollowUp):
        code = FOLLOWUP_CODES[pressed.status]
        data = f"fu:{code}:{pressed.response_id}:{pressed.digest_id}"
    else:
        raise ValueError(f"a typed answer has no button: {pressed!r}")
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button data longer than {MAX_BYTES} bytes: {data!r}")
    return data


def longest_choice_key() -> int:
    """Return how long a choice key may be for its button to fit, on any question."""
    return MAX_BYTES - len(encode(Choose("", seq=SEQ_LIMIT - 1)).encode())


def longest_step_id() -> int:
    """Return how long a step id may be for the summary's change button to fit."""
    return MAX_BYTES - len(encode(Command(CommandName.CHANGE, "", seq=SEQ_LIMIT - 1)).encode())


def decode(data: str) -> Pressed | None:
    """Read button data back; None for anything we did not make (old or forged)."""
    parts = data.split(":")
    try:
        if parts[0] == "c" and len(parts) == 3:
            return Choose(parts[2], seq=int(parts[1]))
        if parts[0] == "k" and len(parts) in (3, 4):
            arg = parts[3] if len(parts) == 4 else None
            return Command(CommandName(parts[2]), arg, seq=int(parts[1]))
        if parts[0] == "lang" and len(parts) == 2:
            return PickLanguage(parts[1])
        if parts[0] == "del" and len(parts) == 3 and parts[1] in ("yes", "no"):
            return ConfirmDelete(parts[1] == "yes", int(parts[2]))
        if parts[0] == "child" and len(parts) == 2 and parts[1] in ("same", "other", "none"):
            return AnotherChild(parts[1])
        if parts[0] == "fu" and len(parts) == 4 and parts[1] in _FOLLOWUP_STATUSES:
            return FollowUp(_FOLLOWUP_STATUSES[parts[1]], int(parts[2]), int(parts[3]))
    except ValueError:
        return None
    return None
