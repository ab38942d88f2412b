"""A fake Telegram Bot API for end-to-end tests, and builders of the updates a parent makes."""

from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.state import APIError, Call, MessageVersion, SentMessage
from tests.fakes.updates import (
    callback,
    command,
    contact,
    edited_message,
    location,
    photo,
    sticker,
    text_message,
    user,
    voice,
)
from tests.fakes.wire import UploadedFile

__all__ = [
    "APIError",
    "Call",
    "FakeBotAPI",
    "MessageVersion",
    "SentMessage",
    "UploadedFile",
    "callback",
    "command",
    "contact",
    "edited_message",
    "location",
    "photo",
    "sticker",
    "text_message",
    "user",
    "voice",
]
