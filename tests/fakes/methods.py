"""The Bot API methods the fake answers, by name; the message methods live in messages.py."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from tests.fakes.messages import (
    answer_callback_query,
    copy_message,
    delete_message,
    edit_message_reply_markup,
    edit_message_text,
    send_chat_action,
    send_document,
    send_message,
    send_photo,
    send_voice,
)
from tests.fakes.state import JSON, APIError, BotState, bad_request, scope_key
from tests.fakes.wire import Params

Method = Callable[[BotState, Params], Any]

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _commands_key(params: Params) -> tuple[str, str]:
    return scope_key(params.get("scope")), str(params.get("language_code") or "")


def set_my_commands(state: BotState, params: Params) -> bool:
    """Store the command menu for one scope and language."""
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.fullmatch(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description") or "").strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    state.commands[_commands_key(params)] = copy.deepcopy(commands)
    return True


def get_my_commands(state: BotState, params: Params) -> list[JSON]:
    """Return the commands of exactly this scope and language: Telegram does not fall back."""
    return copy.deepcopy(state.commands.get(_commands_key(params), []))


def delete_my_commands(state: BotState, params: Params) -> bool:
    """Forget the commands of one scope and language."""
    state.commands.pop(_commands_key(params), None)
    return True


def set_webhook(state: BotState, params: Params) -> bool:
    """Remember where updates should go; an empty url removes the webhook."""
    secret = params.get("secret_token")
    if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        state.queue.clear()
    url = str(params.get("url") or "")
    if not url:
        state.webhook = {}
        return True
    kept: JSON = {
        k: params[k] for k in ("secret_token", "allowed_updates", "ip_address") if k in params
    }
    state.webhook = {"url": url, "max_connections": params.get("max_connections", 40), **kept}
    return True


def delete_webhook(state: BotState, params: Params) -> bool:
    """Remove the webhook, dropping pending updates when asked."""
    if params.get("drop_pending_updates"):
        state.queue.clear()
    state.webhook = {}
    return True


def get_webhook_info(state: BotState, params: Params) -> JSON:
    """Describe the webhook; the secret token is never shown, as on Telegram."""
    shown = {k: v for k, v in state.webhook.items() if k != "secret_token"}
    return (
        {"url": "", "has_custom_certificate": False}
        | shown
        | {"pending_update_count": len(state.queue)}
    )


METHODS: dict[str, Method] = {
    # Telegram matches method names without regard to case.
    name.lower(): method
    for name, method in {
        "getMe": lambda state, params: copy.deepcopy(state.bot_user),
        "close": lambda state, params: True,
        "logOut": lambda state, params: True,
        "setWebhook": set_webhook,
        "deleteWebhook": delete_webhook,
        "getWebhookInfo": get_webhook_info,
        "sendMessage": send_message,
        "copyMessage": copy_message,
        "editMessageText": edit_message_text,
        "editMessageReplyMarkup": edit_message_reply_markup,
        "answerCallbackQuery": answer_callback_query,
        "setMyCommands": set_my_commands,
        "getMyCommands": get_my_commands,
        "deleteMyCommands": delete_my_commands,
        "sendDocument": send_document,
        "sendPhoto": send_photo,
        "sendVoice": send_voice,
        "sendChatAction": send_chat_action,
        "deleteMessage": delete_message,
    }.items()
}


def call(state: BotState, method: str, params: Params) -> Any:
    """Run one Bot API method against the state, or raise the APIError Telegram would give."""
    handler = METHODS.get(method.lower())
    if handler is None:
        raise APIError(404, "Not Found")
    return handler(state, params)
