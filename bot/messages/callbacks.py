"""Button data: what an inline button sends back, at most 64 bytes as Telegram allows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.engine.inputs import Choose, Command, CommandName, Input
from bot.engine.state import SEQ_LIMIT
from bot.messages.followup import FollowUpStatus

MAX_BYTES = 64
# Counters in button data (question numbers, times) are kept as signed 64-bit integers: a
# larger one was never written by us, and SQLite cannot even compare it.
MAX_ID: Final = 2**63 - 1
# Families and digests have Integer ids: 32 bits on PostgreSQL, which refuses a larger one.
MAX_ROW_ID: Final = 2**31 - 1
# Plain ASCII digits without a sign, separator or leading zero, as str(int) writes them:
# int() alone would take " 7", "+7", "1_000" and Arabic-Indic digits.
_NUMBER: Final = re.compile(r"0|[1-9][0-9]{0,18}", re.ASCII)
# Choice keys, step ids and school codes (the flow checker holds flows to this too).
_KEY: Final = re.compile(r"[A-Za-z0-9_]{1,64}", re.ASCII)
# A language code as flows may offer it: "ar", "pt_BR", "sr_Latn".
_LANGUAGE: Final = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_[A-Z]{2})?", re.ASCII)


@dataclass(frozen=True, slots=True)
class PickLanguage:
    """The parent picked a language."""

    code: str


@dataclass(frozen=True, slots=True)
class ReadAloudOn:
    """The parent asked, in the language picker, for the questions to be read aloud."""


@dataclass(frozen=True, slots=True)
class PlayVoice:
    """Staff asked to hear a family's voice-note answer, shown in a digest."""

    response_id: int
    step_id: str


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
class ChangeAnswers:
    """A finished family asked to change the answers of one of its responses."""

    response_id: int


@dataclass(frozen=True, slots=True)
class FollowUp:
    """School staff marked a family: 'contacted' or 'helped', from a digest (0: an alert)."""

    status: FollowUpStatus
    response_id: int
    digest_id: int


@dataclass(frozen=True, slots=True)
class BroadcastChoice:
    """School staff confirmed (send) or dropped their message to all families."""

    send: bool
    broadcast_id: int


@dataclass(frozen=True, slots=True)
class WriteToFamily:
    """School staff want to write to the family of this response."""

    response_id: int


@dataclass(frozen=True, slots=True)
class ShowOriginal:
    """A parent asks for the original text of the school's conversation message."""

    message_id: int


@dataclass(frozen=True, slots=True)
class AnswerSchool:
    """A parent wants to answer the school's conversation message."""

    message_id: int


# Button data of the conversation's buttons, by kind.
_CONVERSATION: dict[str, type[WriteToFamily | ShowOriginal | AnswerSchool]] = {
    "cw": WriteToFamily,
    "co": ShowOriginal,
    "ca": AnswerSchool,
}
_CONVERSATION_CODES = {kind: code for code, kind in _CONVERSATION.items()}

FOLLOWUP_CODES = {FollowUpStatus.CONTACTED: "c", FollowUpStatus.HELPED: "h"}
_FOLLOWUP_STATUSES = {code: status for status, code in FOLLOWUP_CODES.items()}

Pressed = (
    Input
    | PickLanguage
    | ReadAloudOn
    | PlayVoice
    | ConfirmDelete
    | AnotherChild
    | ChangeAnswers
    | FollowUp
    | BroadcastChoice
    | WriteToFamily
    | ShowOriginal
    | AnswerSchool
)


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
    elif isinstance(pressed, ReadAloudOn):
        data = "aloud"
    elif isinstance(pressed, PlayVoice):
        data = f"play:{pressed.response_id}:{pressed.step_id}"
    elif isinstance(pressed, ConfirmDelete):
        data = f"del:{'yes' if pressed.confirmed else 'no'}:{pressed.issued}"
    elif isinstance(pressed, AnotherChild):
        data = f"child:{pressed.choice}"
    elif isinstance(pressed, ChangeAnswers):
        data = f"edit:{pressed.response_id}"
    elif isinstance(pressed, FollowUp):
        code = FOLLOWUP_CODES[pressed.status]
        data = f"fu:{code}:{pressed.response_id}:{pressed.digest_id}"
    elif isinstance(pressed, BroadcastChoice):
        data = f"bc:{'send' if pressed.send else 'drop'}:{pressed.broadcast_id}"
    elif isinstance(pressed, WriteToFamily):
        data = f"cw:{pressed.response_id}"
    elif isinstance(pressed, ShowOriginal | AnswerSchool):
        data = f"{_CONVERSATION_CODES[type(pressed)]}:{pressed.message_id}"
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
    kind, fields = parts[0], parts[1:]
    if kind == "c" and len(fields) == 2:
        seq = _number(fields[0])
        return Choose(fields[1], seq=seq) if seq is not None and _key(fields[1]) else None
    if kind == "k" and len(fields) in (2, 3):
        return _command(fields)
    if kind == "lang" and len(fields) == 1 and _LANGUAGE.fullmatch(fields[0]):
        return PickLanguage(fields[0])
    if kind == "aloud" and not fields:
        return ReadAloudOn()
    if kind == "play" and len(fields) == 2 and _key(fields[1]):
        response_id = _number(fields[0], MAX_ROW_ID)
        return PlayVoice(response_id, fields[1]) if response_id else None
    if kind == "del" and len(fields) == 2 and fields[0] in ("yes", "no"):
        issued = _number(fields[1])
        return ConfirmDelete(fields[0] == "yes", issued) if issued is not None else None
    if kind == "child" and len(fields) == 1 and fields[0] in ("same", "other", "none"):
        return AnotherChild(fields[0])
    if kind == "edit" and len(fields) == 1:
        response_id = _number(fields[0], MAX_ROW_ID)
        return ChangeAnswers(response_id) if response_id else None
    if kind == "fu" and len(fields) == 3 and fields[0] in _FOLLOWUP_STATUSES:
        return _follow_up(fields)
    if kind == "bc" and len(fields) == 2 and fields[0] in ("send", "drop"):
        broadcast_id = _number(fields[1], MAX_ROW_ID)
        return BroadcastChoice(fields[0] == "send", broadcast_id) if broadcast_id else None
    if kind in _CONVERSATION and len(fields) == 1:
        row_id = _number(fields[0], MAX_ROW_ID)
        made: WriteToFamily | ShowOriginal | AnswerSchool | None = (
            _CONVERSATION[kind](row_id) if row_id else None
        )
        return made
    return None


def _command(fields: list[str]) -> Command | None:
    seq = _number(fields[0])
    try:
        name = CommandName(fields[1])
    except ValueError:
        return None
    arg = fields[2] if len(fields) == 3 else None
    if seq is None or (arg is not None and not _key(arg)):
        return None
    return Command(name, arg, seq=seq)


def _follow_up(fields: list[str]) -> FollowUp | None:
    response_id, digest_id = _number(fields[1], MAX_ROW_ID), _number(fields[2], MAX_ROW_ID)
    # 0 is no family; as a digest it means "from an urgent alert".
    if not response_id or digest_id is None:
        return None
    return FollowUp(_FOLLOWUP_STATUSES[fields[0]], response_id, digest_id)


def _number(text: str, maximum: int = MAX_ID) -> int | None:
    """Return the number written as str(int) would write it, up to `maximum`; else None."""
    if not _NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None


def _key(text: str) -> bool:
    return _KEY.fullmatch(text) is not None
