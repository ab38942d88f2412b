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
