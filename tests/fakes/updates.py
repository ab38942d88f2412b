"""Build the updates a parent's phone makes, shaped like real Telegram payloads.

The builders leave out update_id and message_id: `FakeBotAPI.push_update` fills them in
(in place), so ids grow like Telegram's and a private chat's messages share one sequence.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from tests.fakes.markup import utf16_length
from tests.fakes.state import JSON, SentMessage, now

# Telegram marks every /command in a message, not only a leading one.
_BOT_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?(?![\w/])")


def user(
    id: int,  # Telegram's own field name
    first_name: str = "Ouder",
    language_code: str | None = "nl",
    *,
    last_name: str | None = None,
    username: str | None = None,
) -> JSON:
    """Return a User; language_code None is a user whose client does not tell it."""
    optional = {"last_name": last_name, "username": username, "language_code": language_code}
    return {"id": id, "is_bot": False, "first_name": first_name} | {
        k: v for k, v in optional.items() if v is not None
    }


def _chat(sender: JSON) -> JSON:
    named: JSON = {k: sender[k] for k in ("first_name", "last_name", "username") if k in sender}
    return {"id": sender["id"], **named, "type": "private"}


def _message(sender: JSON, **content: Any) -> JSON:
    return {"message": {"from": sender, "chat": _chat(sender), "date": now(), **content}}


def _file_ids(prefix: str) -> JSON:
    unique = uuid.uuid4().hex
    return {"file_id": prefix + unique, "file_unique_id": "AgAD" + unique[:12]}


def text_message(sender: JSON, text: str) -> JSON:
    """Return a text message update, with bot_command entities where Telegram puts them."""
    entities = [
        {
            "offset": utf16_length(text[: m.start()]),
            "length": utf16_length(m.group()),
            "type": "bot_command",
        }
        for m in _BOT_COMMAND.finditer(text)
    ]
    return _message(sender, text=text, **({"entities": entities} if entities else {}))


def command(sender: JSON, name: str = "/start", payload: str | None = None) -> JSON:
    """Return a /command update; a payload is what a t.me/bot?start=PAYLOAD link carries."""
    if not name.startswith("/"):
        raise ValueError(f"a command starts with '/', got {name!r}")
    text = name if payload is None else f"{name} {payload}"
    entity = {"offset": 0, "length": utf16_length(name), "type": "bot_command"}
    return _message(sender, text=text, entities=[entity])


def callback(sender: JSON, message: SentMessage, data: str) -> JSON:
    """Return the press of the inline button with `data` on a message the bot sent."""
    if data not in message.callback_data:
        raise ValueError(
            f"message {message.message_id} has no button with callback_data {data!r}; "
            f"its buttons: {message.callback_data}"
        )
    return {
        "callback_query": {
            "id": str(uuid.uuid4().int)[:19],
            "from": sender,
            "message": message.payload,
            # Stable per chat, as Telegram's is; its value means nothing.
            "chat_instance": str(7_000_000_000_000_000_000 + message.chat_id),
            "data": data,
        }
    }


def contact(
    sender: JSON, phone_number: str, *, own: bool = True, first_name: str | None = None
) -> JSON:
    """Return a shared contact; own=True is the user's own number via a request_contact button.

    Clients send the number with and without a leading '+': test both.
    """
    card: JSON = {"phone_number": phone_number, "first_name": first_name or sender["first_name"]}
    if own:
        card["user_id"] = sender["id"]
        if "last_name" in sender:
            card["last_name"] = sender["last_name"]
    return _message(sender, contact=card)


def location(sender: JSON, latitude: float = 52.0907, longitude: float = 5.1214) -> JSON:
    """Return a shared location (Utrecht unless told otherwise)."""
    return _message(sender, location={"latitude": latitude, "longitude": longitude})


def sticker(sender: JSON, emoji: str = "👍") -> JSON:
    """Return a sticker message."""
    return _message(
        sender,
        sticker={
            **_file_ids("CAACAgIAAxkBAA"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        },
    )


def photo(sender: JSON, caption: str | None = None) -> JSON:
    """Return a photo message, with the scaled sizes Telegram always sends."""
    ids = _file_ids("AgACAgQAAxkBAA")
    sizes = [
        {**ids, "file_id": f"{ids['file_id']}{i}", "width": w, "height": h, "file_size": w * h // 8}
        for i, (w, h) in enumerate(((90, 67), (320, 240), (800, 600), (1280, 960)))
    ]
    return _message(sender, photo=sizes, **({"caption": caption} if caption else {}))


def voice(sender: JSON, duration: int = 3) -> JSON:
    """Return a voice message, as a parent who cannot type sends one."""
    return _message(
        sender,
        voice={
            **_file_ids("AwACAgIAAxkBAA"),
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": 2000 * duration,
        },
    )


def edited_message(message: JSON, text: str) -> JSON:
    """Return the edit of a message the test pushed earlier (its `update["message"]`)."""
    if "message_id" not in message:
        raise ValueError("push the original message first: it has no message_id yet")
    edited = {k: v for k, v in message.items() if k not in ("text", "entities")}
    return {"edited_message": {**edited, "text": text, "edit_date": now()}}
