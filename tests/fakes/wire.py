"""Decode Bot API requests the way Telegram reads them: form, multipart or JSON bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl

Params = dict[str, Any]

# Telegram types every parameter per method; a form body carries none of that. PTB sends
# strings as they are and JSON-dumps everything else (ints, bools, markup, lists), so
# JSON-decoding every value except the fields Telegram reads as strings undoes its encoding.
STRING_FIELDS = frozenset(
    {
        "action",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "data",
        "description",
        "document",
        "inline_message_id",
        "ip_address",
        "language_code",
        "message_effect_id",
        "name",
        "parse_mode",
        "photo",
        "secret_token",
        "short_description",
        "text",
        "thumbnail",
        "url",
    }
)


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request, byte for byte."""

    field_name: str
    filename: str
    content_type: str
    data: bytes = field(repr=False)


class MalformedRequestError(ValueError):
    """The request body cannot be read as any of the encodings Telegram accepts."""


def decode_value(name: str, value: Any) -> Any:
    """Give a parameter the type Telegram would read it as."""
    if not isinstance(value, str) or name in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        # Not JSON: a string after all (chat_id "@channel", or a field we do not list).
        return value


def parse_request(query: str, content_type: str, body: bytes) -> Params:
    """Decode the query string and body of one request into typed parameters."""
    raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    raw.update(_parse_body(content_type, body))
    params = {name: decode_value(name, value) for name, value in raw.items()}
    _resolve_attachments(params)
    return params


def _parse_body(content_type: str, body: bytes) -> Mapping[str, Any]:
    if not body.strip():
        return {}
    header = Message()
    header["Content-Type"] = content_type or "application/x-www-form-urlencoded"
    mime = header.get_content_type()
    if mime == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError as exc:
            raise MalformedRequestError(f"request body is not valid JSON: {exc}") from exc
        if not isinstance(decoded, dict):
            raise MalformedRequestError("a JSON request body must be an object")
        return decoded
    if mime == "multipart/form-data":
        boundary = header.get_param("boundary")
        if not isinstance(boundary, str) or not boundary:
            raise MalformedRequestError("multipart body without a boundary")
        return _parse_multipart(body, boundary.encode("ascii"))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRequestError("form body is not UTF-8") from exc
    return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True))


def _parse_multipart(body: bytes, boundary: bytes) -> dict[str, Any]:
    # Written out rather than through `email`, whose parser may rewrite line endings
    # inside a part; uploads must arrive byte for byte.
    fields: dict[str, Any] = {}
    for chunk in body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        head, separator, content = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            raise MalformedRequestError("multipart part without a header block")
        # Each part's content ends with the CRLF that belongs to the next delimiter.
        content = content.removesuffix(b"\r\n")
        headers = Message()
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip()] = value.strip()
        name = _form_param(headers, "name")
        if name is None:
            raise MalformedRequestError("multipart part without a name")
        filename = _form_param(headers, "filename")
        if filename is None:
            fields[name] = content.decode("utf-8")
        else:
            content_type = headers.get_content_type() if "Content-Type" in headers else ""
            fields[name] = UploadedFile(name, filename, content_type, content)
    return fields


def _form_param(headers: Message, name: str) -> str | None:
    value = headers.get_param(name, header="content-disposition")
    if not isinstance(value, str):
        return None
    # httpx escapes a double quote in a name the HTML5 way.
    return value.replace("%22", '"')


def _resolve_attachments(params: Params) -> None:
    """Put each file named by an `attach://<part>` value in place of that value."""
    for name, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            part = value.removeprefix("attach://")
            upload = params.pop(part, None)
            if isinstance(upload, UploadedFile):
                params[name] = upload


def envelope_ok(result: Any) -> bytes:
    """Encode a successful answer in Telegram's envelope."""
    return json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode("utf-8")
