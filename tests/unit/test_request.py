"""The Bot API transport: an answer it cannot read is refused without being logged."""

from __future__ import annotations

import logging

import pytest
from telegram.error import TelegramError

from bot.telegram.request import AiohttpRequest

# A getUpdates answer cut short, with a parent's words in it.
BROKEN = b'{"ok": true, "result": [{"update_id": 1, "message": {"text": "Amal, 0612345678'


def test_an_answer_that_is_not_json_is_refused_without_its_content_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(TelegramError):
        AiohttpRequest.parse_json_payload(BROKEN)
    assert "Amal" not in caplog.text
    assert "0612345678" not in caplog.text


def test_an_answer_nested_beyond_reason_is_refused_as_unreadable() -> None:
    with pytest.raises(TelegramError):
        AiohttpRequest.parse_json_payload(b"[" * 100_000 + b"]" * 100_000)


def test_a_readable_answer_is_read() -> None:
    assert AiohttpRequest.parse_json_payload(b'{"ok": true, "result": []}') == {
        "ok": True,
        "result": [],
    }


@pytest.mark.parametrize("payload", [b"[]", b"null", b'"ok"', b"7", b'{"ok": true}'])
def test_an_answer_that_is_json_but_no_bot_api_answer_is_refused_as_unreadable(
    payload: bytes,
) -> None:
    # PTB reads answer["result"]: a TypeError or KeyError there escapes every caller that
    # expects a TelegramError (the button answers of the polling loop among them).
    with pytest.raises(TelegramError):
        AiohttpRequest.parse_json_payload(payload)


def test_an_error_answer_is_read_for_its_description() -> None:
    answer = b'{"ok": false, "error_code": 400, "description": "Bad Request: chat not found"}'
    assert AiohttpRequest.parse_json_payload(answer)["description"].endswith("chat not found")
