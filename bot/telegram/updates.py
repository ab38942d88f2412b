"""Take what the service needs out of a Telegram update (its JSON), and nothing more.

The webhook hands us the JSON as Telegram sent it: building PTB's Update object
from it first cost a millisecond per update (every callback carries its message and
keyboard), more than the engine and the database together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.service.incoming import (
    Action,
    BotCommand,
    ButtonPressed,
    CommandSent,
    ContactShared,
    Edited,
    Incoming,
    Typed,
    Unsupported,
)

COMMANDS = {command.value: command for command in BotCommand}
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

JSON = Mapping[str, Any]


def incoming(update: JSON) -> Incoming | None:
    """Return the update as an Incoming, or None for what the bot does not handle (groups...)."""
    found = _sender_and_action(update)
    if found is None:
        return None
    sender, chat, action = found
    if chat.get("type") != "private" or sender.get("is_bot"):
        return None
    name = " ".join(str(sender[k]) for k in ("first_name", "last_name") if sender.get(k))
    return Incoming(
        update_id=int(update["update_id"]),
        user_id=int(sender["id"]),
        chat_id=int(chat["id"]),
        language_code=sender.get("language_code"),
        name=name,
        action=action,
    )


def _sender_and_action(update: JSON) -> tuple[JSON, JSON, Action] | None:
    query = update.get("callback_query")
    if query is not None:
        message = query.get("message")
        if not query.get("data") or not message:
            return None
        pressed = ButtonPressed(str(query["data"]), int(message["message_id"]), str(query["id"]))
        return query["from"], message["chat"], pressed
    edited = update.get("edited_message")
    if edited is not None and "from" in edited:
        return edited["from"], edited["chat"], Edited()
    message = update.get("message")
    if message is None or "from" not in message:
        return None
    return message["from"], message["chat"], _message_action(message)


def _message_action(message: JSON) -> Action:
    contact = message.get("contact")
    if contact is not None:
        own = contact.get("user_id") == message["from"]["id"]
        return ContactShared(str(contact["phone_number"]), own)
    text = message.get("text")
    if text is None:
        kind = next((k for k in UNSUPPORTED_KINDS if message.get(k)), "other")
        return Unsupported(kind)
    if text.startswith("/"):
        word, _, rest = text[1:].partition(" ")
        # In a private chat a command may still carry the bot's name: /start@OuderbrugBot.
        name = word.split("@", 1)[0].lower()
        if name in COMMANDS:
            return CommandSent(COMMANDS[name], rest.strip())
        return CommandSent(BotCommand.UNKNOWN, word)
    return Typed(str(text))
