"""What arrives from a parent or staff member, already taken out of Telegram's update."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BotCommand(StrEnum):
    """The commands in the menu."""

    START = "start"
    LANGUAGE = "language"
    BACK = "back"
    RESTART = "restart"
    HELP = "help"
    STATUS = "status"
    DELETE = "delete"
    STOP = "stop"
    VOICE = "voice"
    # Staff and coordinators only.
    RESPONSES = "responses"
    BERICHT = "bericht"
    RELOAD = "reload"
    DASHBOARD = "dashboard"
    # Anything else that starts with a slash.
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Typed:
    """A typed text message."""

    text: str


@dataclass(frozen=True, slots=True)
class CommandSent:
    """A /command, with what followed it (the deep-link payload for /start)."""

    command: BotCommand
    argument: str = ""


@dataclass(frozen=True, slots=True)
class ButtonPressed:
    """An inline button pressed on one of our messages."""

    data: str
    message_id: int
    callback_id: str


@dataclass(frozen=True, slots=True)
class ContactShared:
    """A shared contact; `own` when it is the sender's own number."""

    phone: str
    own: bool


@dataclass(frozen=True, slots=True)
class VoiceSent:
    """A voice note, known by the id Telegram keeps it under (never downloaded)."""

    file_id: str
    seconds: int


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Something the flow cannot use (a sticker, photo, voice note, location...)."""

    kind: str


@dataclass(frozen=True, slots=True)
class Edited:
    """An earlier message was edited."""


Action = Typed | CommandSent | ButtonPressed | ContactShared | VoiceSent | Unsupported | Edited


@dataclass(frozen=True, slots=True)
class Incoming:
    """One update from one person in a private chat."""

    update_id: int
    user_id: int
    chat_id: int
    # The language Telegram reports for the user, if any ("nl", "pt-br").
    language_code: str | None
    # Telegram's display name; kept for staff only, never logged.
    name: str
    action: Action
    # The message's own id in its chat, and the id of the message it replies to, if any.
    message_id: int | None = None
    reply_to: int | None = None
