"""Take what the service needs out of a Telegram update (its JSON), and nothing more.

The webhook hands us the JSON as Telegram sent it: building PTB's Update object
from it first cost a millisecond per update (every callback carries its message and
keyboard), more than the engine and the database together. Reading it ourselves also
means an update PTB would refuse (Telegram's own examples lack `is_bot`) still reaches
the parent, and a forged one is told apart here: every id is checked for its type and
range before it goes near the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from bot.messages.incoming import (
    Action,
    BotCommand,
    ButtonPressed,
    CommandSent,
    ContactShared,
    Edited,
    Incoming,
    Typed,
    Unsupported,
    VoiceSent,
)

COMMANDS = {command.value: command for command in BotCommand}
# Telegram's file ids: URL-safe base64, some 70 to 90 characters; anything else is forged.
FILE_ID = re.compile(r"[A-Za-z0-9_-]{16,200}", re.ASCII)
# What a message can carry that the flow cannot use yet, in the order Telegram documents them.
UNSUPPORTED_KINDS = (
    "animation",
    "audio",
    "document",
    "photo",
    "sticker",
    "video",
    "video_note",
    "voice",
    "location",
    "venue",
    "poll",
    "dice",
)
# Ids are stored as 64-bit signed integers (BigInteger); anything beyond is forged.
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

JSON = Mapping[str, Any]
# Why a private update naming someone else's chat is refused; only a forger sends one.
FORGED_CHAT = "private chat of someone else"


class UnreadableUpdateError(ValueError):
    """An update with a field missing, of the wrong type or out of range.

    The message names the field, never its value: it is logged.
    """


@dataclass(frozen=True, slots=True)
class Ignored:
    """An update acknowledged but not handled: a group, a channel, a forged chat...

    `callback_id` is the button press to answer, so the parent's spinner stops.
    """

    reason: str
    callback_id: str | None = None

    @property
    def forged(self) -> bool:
        """Tell whether only a forger sends such an update (worth a warning)."""
        return self.reason == FORGED_CHAT


def read_update(update: object) -> Incoming | Ignored:
    """Return the update as an Incoming, or Ignored; raise UnreadableUpdateError when malformed."""
    body = _object(update, "update")
    update_id = _integer(body.get("update_id"), 0, INT64_MAX, "update_id")
    if "callback_query" in body:
        return _press(update_id, _object(body["callback_query"], "callback_query"))
    for kind in ("edited_message", "message"):
        if kind in body:
            return _message(update_id, kind, _object(body[kind], kind))
    return Ignored("not a message or a press")


def update_id_of(update: object) -> int | None:
    """Return the update's id when it has a readable one (to confirm it), else None."""
    if not isinstance(update, Mapping):
        return None
    try:
        return _integer(update.get("update_id"), 0, INT64_MAX, "update_id")
    except UnreadableUpdateError:
        return None


def _press(update_id: int, query: JSON) -> Incoming | Ignored:
    callback_id = _text(query.get("id"), "callback_query.id")
    sender = _user(query.get("from"), "callback_query.from")
    data, message = query.get("data"), query.get("message")
    if message is None or not data:
        # A press on an inline message, or a game: nothing of ours to go on.
        return Ignored("press without a message", callback_id)
    message = _object(message, "callback_query.message")
    chat = _chat(message.get("chat"), "callback_query.message.chat")
    message_id = _integer(message.get("message_id"), 1, INT64_MAX, "callback_query.message.id")
    pressed = ButtonPressed(_text(data, "callback_query.data"), message_id, callback_id)
    return _from_parent(update_id, sender, chat, pressed, callback_id)


def _message(update_id: int, kind: str, message: JSON) -> Incoming | Ignored:
    if "from" not in message:
        return Ignored("no sender")  # a channel post
    sender = _user(message["from"], f"{kind}.from")
    chat = _chat(message.get("chat"), f"{kind}.chat")
    action = Edited() if kind == "edited_message" else _message_action(message, sender)
    incoming = _from_parent(update_id, sender, chat, action, None)
    if isinstance(incoming, Ignored):
        return incoming
    # Only a conversation needs these: an update without them still reaches the flow.
    replied = message.get("reply_to_message")
    reply_to = _optional_id(replied.get("message_id")) if isinstance(replied, Mapping) else None
    return replace(incoming, message_id=_optional_id(message.get("message_id")), reply_to=reply_to)


def _from_parent(
    update_id: int, sender: JSON, chat: JSON, action: Action, callback_id: str | None
) -> Incoming | Ignored:
    """Return the Incoming of a person in their private chat with the bot, else Ignored."""
    user_id, chat_id = sender["id"], chat["id"]
    if sender.get("is_bot") is True:
        return Ignored("from a bot", callback_id)
    # Telegram's documented examples leave the type out; a private chat's id is its user's.
    if chat.get("type", "private") != "private":
        return Ignored("not a private chat", callback_id)
    if chat_id != user_id:
        # Telegram never sends this: only a forged update would have the bot answer a
        # parent's (or staff member's) messages into someone else's chat. Not answered.
        return Ignored(FORGED_CHAT)
    return Incoming(
        update_id=update_id,
        user_id=user_id,
        chat_id=chat_id,
        language_code=_optional_text(sender.get("language_code")),
        name=" ".join(
            name for key in ("first_name", "last_name") if (name := _optional_text(sender.get(key)))
        ),
        action=action,
    )


def _message_action(message: JSON, sender: JSON) -> Action:
    if "contact" in message:
        contact = _object(message["contact"], "message.contact")
        phone = _text(contact.get("phone_number"), "message.contact.phone_number")
        return ContactShared(phone, own=contact.get("user_id") == sender["id"])
    if "voice" in message:
        voice = _voice(message["voice"])
        if voice is not None:
            return voice
    text = message.get("text")
    if text is None:
        kind = next((k for k in UNSUPPORTED_KINDS if message.get(k)), "other")
        return Unsupported(kind)
    text = _text(text, "message.text")
    if text.startswith("/"):
        word, _, rest = text[1:].partition(" ")
        # In a private chat a command may still carry the bot's name: /start@OuderbrugBot.
        name = word.split("@", 1)[0].lower()
        if name in COMMANDS:
            return CommandSent(COMMANDS[name], rest.strip())
        return CommandSent(BotCommand.UNKNOWN, word)
    return Typed(text)


def _voice(value: object) -> VoiceSent | None:
    """Return the voice note Telegram describes; None when it does not look like one."""
    voice = _object(value, "message.voice")
    file_id, seconds = voice.get("file_id"), voice.get("duration", 0)
    if not isinstance(file_id, str) or not FILE_ID.fullmatch(file_id):
        return None
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 <= seconds < 2**31:
        seconds = 0
    return VoiceSent(file_id, seconds)


def _user(value: object, field: str) -> JSON:
    user = _object(value, field)
    _integer(user.get("id"), 1, INT64_MAX, f"{field}.id")
    return user


def _chat(value: object, field: str) -> JSON:
    chat = _object(value, field)
    _integer(chat.get("id"), INT64_MIN, INT64_MAX, f"{field}.id")
    return chat


def _object(value: object, field: str) -> JSON:
    if not isinstance(value, Mapping):
        raise UnreadableUpdateError(f"{field} is not an object")
    return value


def _integer(value: object, low: int, high: int, field: str) -> int:
    # bool is an int to Python, a float may hold an integral value: neither is an id.
    if type(value) is not int or not low <= value <= high:
        raise UnreadableUpdateError(f"{field} is not an integer from {low} to {high}")
    return value


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise UnreadableUpdateError(f"{field} is not a string")
    return value


def _optional_id(value: object) -> int | None:
    return value if type(value) is int and 1 <= value <= INT64_MAX else None


def _optional_text(value: object) -> str | None:
    # Names and languages only adorn a reply: a strange one is left out, not refused.
    return value if isinstance(value, str) and value else None
