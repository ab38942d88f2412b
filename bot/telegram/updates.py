"""Take what the service needs out of a Telegram update, and nothing more."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType

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


def incoming(update: Update) -> Incoming | None:
    """Return the update as an Incoming, or None for what the bot does not handle (groups...)."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE or user.is_bot:
        return None
    action = _action(update)
    if action is None:
        return None
    return Incoming(
        update_id=update.update_id,
        user_id=user.id,
        chat_id=chat.id,
        language_code=user.language_code,
        name=user.full_name,
        action=action,
    )


def _action(update: Update) -> Action | None:
    query = update.callback_query
    if query is not None:
        if query.data is None or query.message is None:
            return None
        return ButtonPressed(query.data, query.message.message_id, query.id)
    if update.edited_message is not None:
        return Edited()
    message = update.message
    if message is None:
        return None
    return _message_action(message)


def _message_action(message: Message) -> Action:
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        return ContactShared(message.contact.phone_number, own)
    text = message.text
    if text is None:
        kind = next((k for k in UNSUPPORTED_KINDS if getattr(message, k, None)), "other")
        return Unsupported(kind)
    if text.startswith("/"):
        word, _, rest = text[1:].partition(" ")
        # In a private chat a command may still carry the bot's name: /start@OuderbrugBot.
        name = word.split("@", 1)[0].lower()
        if name in COMMANDS:
            return CommandSent(COMMANDS[name], rest.strip())
        return CommandSent(BotCommand.UNKNOWN, word)
    return Typed(text)
