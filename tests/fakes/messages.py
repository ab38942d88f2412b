"""The Bot API methods about messages: send, edit, delete, files, button answers.

Error descriptions are Telegram's where we know them ("message is not modified", "query is
too old", "bot was blocked by the user"); bots match on those strings, so keep them verbatim.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import replace

from tests.fakes.markup import EntityParseError, parse_html, utf16_length
from tests.fakes.state import JSON, BotState, MessageVersion, SentMessage, bad_request, now
from tests.fakes.wire import Params, UploadedFile

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _chat_id(params: Params) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise bad_request("chat_id is empty")
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request("chat not found")  # usernames name channels, which we do not model
    return value


def _message_id(params: Params) -> int:
    value = params.get("message_id")
    if value is None:
        raise bad_request("message identifier is not specified")
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request("message identifier is not a number")
    return value


def _formatted(params: Params, name: str) -> tuple[str, JSON]:
    """Return the text or caption as Telegram shows it, with the fields that carry it."""
    source = params.get(name)
    entities_name = "entities" if name == "text" else "caption_entities"
    if not isinstance(source, str):
        return "", {}
    mode = str(params.get("parse_mode") or "").lower()
    if mode == "html":
        try:
            text, entities = parse_html(source)
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
    elif mode in ("", "markdown", "markdownv2"):
        # Markdown is passed through unparsed: the fake does not model its escaping rules.
        text, entities = source, params.get(entities_name) or []
    else:
        raise bad_request(f"unsupported parse_mode {params.get('parse_mode')!r}")
    return text, {name: text, **({entities_name: entities} if entities else {})}


def _reply_markup(params: Params, *, inline_only: bool = False) -> JSON | None:
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if inline_only and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            # The limit is 64 bytes, not characters: non-ASCII data reaches it sooner.
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _reply_to(state: BotState, chat_id: int, params: Params) -> JSON:
    reply = params.get("reply_parameters")
    if not reply and "reply_to_message_id" in params:
        reply = {"message_id": params["reply_to_message_id"]}
    if not isinstance(reply, dict):
        return {}
    message_id = _message_id(reply)
    sent = state.messages.get(chat_id, {}).get(message_id)
    target = sent.payload if sent else state.incoming.get(chat_id, {}).get(message_id)
    if target is None:
        if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
            return {}
        raise bad_request("message to be replied not found")
    return {"reply_to_message": {k: v for k, v in target.items() if k != "reply_to_message"}}


def _send(
    state: BotState,
    params: Params,
    content: JSON,
    text: str | None,
    file: UploadedFile | None = None,
) -> JSON:
    chat_id = _chat_id(params)
    state.check_not_blocked(chat_id)
    markup = _reply_markup(params)
    reply = _reply_to(state, chat_id, params)
    message_id = state.next_message_id(chat_id)
    payload: JSON = {
        "message_id": message_id,
        "from": copy.deepcopy(state.bot_user),
        "chat": state.chat(chat_id),
        "date": now(),
        **reply,
        **content,
    }
    if markup and "inline_keyboard" in markup:
        payload["reply_markup"] = markup  # Telegram echoes inline keyboards only
    state.store(SentMessage(chat_id, message_id, text, markup, payload, file=file))
    return copy.deepcopy(payload)


def send_message(state: BotState, params: Params) -> JSON:
    """Send a text message."""
    state.check_not_blocked(_chat_id(params))
    text, content = _formatted(params, "text")
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_length(text) > 4096:
        raise bad_request("message is too long")
    return _send(state, params, content, text)


# Telegram's own prefixes of file ids, by what the file was sent as.
_PREFIXES = {"photo": "AgAC", "voice": "AwAC"}


def _upload(state: BotState, params: Params, name: str) -> tuple[UploadedFile | None, str]:
    value = params.get(name)
    if isinstance(value, UploadedFile):
        file_id = _PREFIXES.get(name, "BQAC") + uuid.uuid4().hex
        state.files[file_id] = value
        return value, file_id
    if isinstance(value, str) and value in state.files:
        return state.files[value], value
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return None, ("AgAC" if name == "photo" else "BQAC") + uuid.uuid4().hex
    if value is None:
        raise bad_request(f"there is no {name} in the request")
    raise bad_request("wrong file identifier/HTTP URL specified")


def _send_file(state: BotState, params: Params, name: str) -> JSON:
    state.check_not_blocked(_chat_id(params))
    upload, file_id = _upload(state, params, name)
    caption, content = _formatted(params, "caption")
    if utf16_length(caption) > 1024:
        raise bad_request("message caption is too long")
    described: JSON = {
        "file_id": file_id,
        "file_unique_id": "AgAD" + file_id[-12:],
        **({"file_size": len(upload.data)} if upload else {}),
    }
    if name == "photo":
        # Telegram would add scaled sizes; the fake keeps the one it got and reads no pixels.
        content["photo"] = [{**described, "width": 0, "height": 0}]
    else:
        if upload:
            described = {
                "file_name": upload.filename,
                "mime_type": upload.content_type,
                **described,
            }
        content["document"] = described
    return _send(state, params, content, caption or None, upload)


def send_voice(state: BotState, params: Params) -> JSON:
    """Send a voice note, uploaded (kept byte for byte) or by the id of one Telegram has.

    As Telegram does, only OGG/Opus plays as a voice note; any other file arrives as a
    document, which a test sees as a voice note that never came.
    """
    state.check_not_blocked(_chat_id(params))
    upload, file_id = _upload(state, params, "voice")
    described: JSON = {"file_id": file_id, "file_unique_id": "AgAD" + file_id[-12:]}
    if upload is not None and is_ogg_opus(upload.data):
        state.voices.add(file_id)
    if file_id not in state.voices:
        return _send(state, params, {"document": described}, None, upload)
    described.update(mime_type="audio/ogg", duration=0)
    return _send(state, params, {"voice": described}, None, upload)


def is_ogg_opus(data: bytes) -> bool:
    """Tell whether a file is an Ogg stream whose first packet is an Opus header."""
    return data.startswith(b"OggS") and data[28:36] == b"OpusHead"


def send_photo(state: BotState, params: Params) -> JSON:
    """Send a photo, kept byte for byte when uploaded."""
    return _send_file(state, params, "photo")


def send_document(state: BotState, params: Params) -> JSON:
    """Send a document, kept byte for byte when uploaded."""
    return _send_file(state, params, "document")


def _edit_target(state: BotState, params: Params) -> SentMessage:
    chat_id = _chat_id(params)
    state.check_not_blocked(chat_id)
    message_id = _message_id(params)
    stored = state.messages.get(chat_id, {}).get(message_id)
    if stored is None:
        if message_id in state.incoming.get(chat_id, {}):
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")
    return stored


def _edit(state: BotState, stored: SentMessage, changes: JSON, markup: JSON | None) -> JSON:
    payload = {k: v for k, v in stored.payload.items() if k not in ("reply_markup", "edit_date")}
    if "text" in changes:
        payload.pop("entities", None)
    payload.update(changes)
    if markup is not None:
        payload["reply_markup"] = markup
    before = {k: v for k, v in stored.payload.items() if k != "edit_date"}
    if payload == before:
        raise bad_request(NOT_MODIFIED)
    payload["edit_date"] = now()
    edited = replace(
        stored,
        text=payload.get("text", payload.get("caption")),
        # Leaving out reply_markup in an edit removes the keyboard, as on Telegram.
        reply_markup=markup,
        payload=payload,
        history=(*stored.history, MessageVersion(stored.text, stored.reply_markup)),
    )
    state.store(edited)
    return copy.deepcopy(payload)


def edit_message_text(state: BotState, params: Params) -> JSON | bool:
    """Change the text of a sent message; `true` for inline messages, which we do not keep."""
    text, content = _formatted(params, "text")
    markup = _reply_markup(params, inline_only=True)
    if "inline_message_id" in params:
        return True
    stored = _edit_target(state, params)
    if "text" not in stored.payload:
        raise bad_request("there is no text in the message to edit")
    if not text.strip():
        raise bad_request("message text is empty")
    return _edit(state, stored, content, markup)


def edit_message_reply_markup(state: BotState, params: Params) -> JSON | bool:
    """Change or remove the inline keyboard of a sent message."""
    markup = _reply_markup(params, inline_only=True)
    if "inline_message_id" in params:
        return True
    return _edit(state, _edit_target(state, params), {}, markup)


def answer_callback_query(state: BotState, params: Params) -> bool:
    """Answer a button press; each press can be answered once."""
    query_id = str(params.get("callback_query_id", ""))
    if query_id not in state.open_callbacks:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    state.open_callbacks.discard(query_id)
    return True


def send_chat_action(state: BotState, params: Params) -> bool:
    """Show "typing…" and the like."""
    state.check_not_blocked(_chat_id(params))
    if params.get("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def delete_message(state: BotState, params: Params) -> bool:
    """Delete a message of either side of a private chat."""
    chat_id, message_id = _chat_id(params), _message_id(params)
    if state.messages.get(chat_id, {}).pop(message_id, None) is not None:
        return True
    if state.incoming.get(chat_id, {}).pop(message_id, None) is not None:
        return True
    raise bad_request("message to delete not found")


def copy_message(state: BotState, params: Params) -> JSON:
    """Copy a message from another chat: its content without its sender; Telegram returns
    only the new message's id."""
    chat_id = _chat_id(params)
    state.check_not_blocked(chat_id)
    source_chat = params.get("from_chat_id")
    source_id = params.get("message_id")
    original = state.incoming.get(int(str(source_chat)), {}).get(int(str(source_id)))
    if original is None:
        raise bad_request("message to copy not found")
    kept = ("voice", "photo", "document", "audio", "video", "caption", "text")
    content: JSON = {k: copy.deepcopy(original[k]) for k in kept if k in original}
    message_id = state.next_message_id(chat_id)
    payload: JSON = {
        "message_id": message_id,
        "from": copy.deepcopy(state.bot_user),
        "chat": state.chat(chat_id),
        "date": now(),
        **content,
    }
    text = content.get("text", content.get("caption"))
    state.store(SentMessage(chat_id, message_id, text, None, payload))
    return {"message_id": message_id}
