"""What the fake Telegram remembers: chats, messages, commands, webhook and pending updates."""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.wire import Params, UploadedFile

JSON = dict[str, Any]
BLOCKED = "Forbidden: bot was blocked by the user"
FIRST_UPDATE_ID = 100_000_001


class APIError(Exception):
    """An error answer of the Bot API, with the HTTP status Telegram uses for it."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def envelope(self) -> JSON:
        """Return Telegram's error envelope for this error."""
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(problem: str) -> APIError:
    """Return the 400 Telegram gives for `problem`."""
    return APIError(400, f"Bad Request: {problem}")


@dataclass(frozen=True)
class Call:
    """One request the bot made: method, decoded parameters, and the HTTP status it got."""

    method: str
    params: Params
    status: int


@dataclass(frozen=True)
class MessageVersion:
    """How a message read before one of its edits."""

    text: str | None
    reply_markup: JSON | None


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent, as it stands now, with its earlier versions oldest first."""

    chat_id: int
    message_id: int
    text: str | None  # the text, or the caption of a photo or document
    reply_markup: JSON | None  # as sent, reply keyboards included (Telegram echoes only inline)
    payload: JSON  # the Message object the Bot API returned for it
    history: tuple[MessageVersion, ...] = ()
    file: UploadedFile | None = None

    @property
    def buttons(self) -> list[JSON]:
        """Return every button of the message's keyboard, row by row."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [
            button if isinstance(button, dict) else {"text": button}
            for row in rows
            for button in row
        ]

    @property
    def callback_data(self) -> list[str]:
        """Return the callback_data of the inline buttons, in order."""
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]


@dataclass
class _Queued:
    update: JSON
    # A pushed update whose id the bot may already have confirmed models redelivery:
    # confirming offsets must not drop it before it has been delivered once.
    redelivery: bool
    delivered: bool = False


def now() -> int:
    """Return the Unix time Telegram stamps messages with."""
    return int(time.time())


def scope_key(scope: Any) -> str:
    """Return one key for a command scope, however its fields are ordered."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


@dataclass
class BotState:
    """The server side of one bot: everything Telegram would remember between requests."""

    bot_user: JSON
    messages: dict[int, dict[int, SentMessage]] = field(default_factory=dict)
    incoming: dict[int, dict[int, JSON]] = field(default_factory=dict)
    users: dict[int, JSON] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[JSON]] = field(default_factory=dict)
    webhook: JSON = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    # Voice notes Telegram holds: sent by users, or uploaded by the bot as OGG/Opus.
    voices: set[str] = field(default_factory=set)
    open_callbacks: set[str] = field(default_factory=set)
    queue: list[_Queued] = field(default_factory=list)
    last_update_id: int = FIRST_UPDATE_ID - 1
    last_message_ids: dict[int, int] = field(default_factory=dict)

    def next_message_id(self, chat_id: int) -> int:
        """Return the next message id of a chat; both sides of a private chat share them."""
        self.last_message_ids[chat_id] = self.last_message_ids.get(chat_id, 0) + 1
        return self.last_message_ids[chat_id]

    def chat(self, chat_id: int) -> JSON:
        """Return the Chat object for `chat_id`, named after its user when we know them."""
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": "Testgroep"}
        user = self.users.get(chat_id, {})
        named: JSON = {k: user[k] for k in ("first_name", "last_name", "username") if k in user}
        return {"id": chat_id, **named, "type": "private"}

    def prepare(self, update: JSON) -> tuple[int, bool]:
        """Fill in update_id, message ids and dates in place; remember users and callbacks."""
        if "update_id" in update:
            update_id, redelivery = (
                int(update["update_id"]),
                update["update_id"] <= self.last_update_id,
            )
        else:
            update_id, redelivery = self.last_update_id + 1, False
            update["update_id"] = update_id
        self.last_update_id = max(self.last_update_id, update_id)
        for kind in ("message", "edited_message"):
            if kind in update:
                self._take_in(kind, update[kind])
        if "callback_query" in update:
            self._take_in_callback(update["callback_query"])
        return update_id, redelivery

    def _take_in(self, kind: str, message: JSON) -> None:
        chat_id = int(message["chat"]["id"])
        if "from" in message:
            self.users.setdefault(int(message["from"]["id"]), copy.deepcopy(message["from"]))
        message.setdefault("date", now())
        if "message_id" not in message:
            if kind == "edited_message":
                raise ValueError("an edited_message needs the message_id of the message it edits")
            message["message_id"] = self.next_message_id(chat_id)
        # A test may paste a real payload with its own id; the bot's next message comes after.
        known = self.last_message_ids.get(chat_id, 0)
        self.last_message_ids[chat_id] = max(known, int(message["message_id"]))
        self.incoming.setdefault(chat_id, {})[message["message_id"]] = copy.deepcopy(message)
        voice = message.get("voice")
        if isinstance(voice, dict) and isinstance(voice.get("file_id"), str):
            # What a user sent, the bot may send on by its id (the bytes are never needed).
            self.files[voice["file_id"]] = UploadedFile("voice", "voice.ogg", "audio/ogg", b"")
            self.voices.add(voice["file_id"])

    def _take_in_callback(self, query: JSON) -> None:
        self.users.setdefault(int(query["from"]["id"]), copy.deepcopy(query["from"]))
        self.open_callbacks.add(str(query["id"]))
        message = query.get("message")
        if not message:
            return
        stored = self.messages.get(message["chat"]["id"], {}).get(message["message_id"])
        if stored is None:
            return
        if "data" in query and query["data"] not in stored.callback_data:
            raise ValueError(
                f"message {stored.message_id} in chat {stored.chat_id} has no button with "
                f"callback_data {query['data']!r} now; its buttons: {stored.callback_data}"
            )
        # The user presses the keyboard as it is now, not as the test last saw it.
        query["message"] = copy.deepcopy(stored.payload)

    def enqueue(self, update: JSON, redelivery: bool) -> None:
        """Hold an update until the bot fetches and confirms it."""
        self.queue.append(_Queued(copy.deepcopy(update), redelivery))

    def confirm(self, offset: int | None) -> None:
        """Forget the updates that `offset` confirms, as getUpdates does."""
        if offset is None:
            return
        if offset < 0:  # a negative offset keeps only the last -offset updates
            del self.queue[: max(0, len(self.queue) + offset)]
            return
        self.queue = [
            q
            for q in self.queue
            if q.update["update_id"] >= offset or (q.redelivery and not q.delivered)
        ]

    def take(self, limit: int) -> list[JSON]:
        """Return up to `limit` pending updates, oldest first, still unconfirmed."""
        taken = self.queue[:limit]
        for queued in taken:
            queued.delivered = True
        return [copy.deepcopy(q.update) for q in taken]

    def store(self, message: SentMessage) -> SentMessage:
        """Keep a sent or edited message as the chat now shows it."""
        self.messages.setdefault(message.chat_id, {})[message.message_id] = message
        return message

    def check_not_blocked(self, chat_id: int) -> None:
        """Refuse anything sent to a chat whose user blocked the bot."""
        if chat_id in self.blocked:
            raise APIError(403, BLOCKED)
