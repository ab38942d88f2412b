"""Reading Telegram's update JSON: what the bot handles, what it acknowledges, what it refuses."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from bot.messages.incoming import (
    BotCommand,
    ButtonPressed,
    CommandSent,
    ContactShared,
    Edited,
    Incoming,
    Typed,
    Unsupported,
    VoiceSent,
)
from bot.telegram.updates import Ignored, UnreadableUpdateError, read_update

PARENT = {"id": 4242, "is_bot": False, "first_name": "Amal", "language_code": "ar"}
PRIVATE = {"id": 4242, "first_name": "Amal", "type": "private"}


def message(**content: Any) -> dict[str, Any]:
    return {
        "update_id": 7,
        "message": {"message_id": 3, "from": PARENT, "chat": PRIVATE, "date": 1, **content},
    }


def press(data: Any = "lang:nl", chat: dict[str, Any] = PRIVATE) -> dict[str, Any]:
    return {
        "update_id": 8,
        "callback_query": {
            "id": "99",
            "from": PARENT,
            "chat_instance": "1",
            "data": data,
            "message": {"message_id": 5, "chat": chat, "date": 1, "text": "?"},
        },
    }


def test_a_typed_message_is_read_with_its_sender_and_chat() -> None:
    arrived = read_update(message(text="geen laptop"))
    assert arrived == Incoming(7, 4242, 4242, "ar", "Amal", Typed("geen laptop"), message_id=3)


def test_a_reply_names_the_message_it_answers_and_a_strange_id_is_left_out() -> None:
    replying = message(text="ja", reply_to_message={"message_id": 12, "chat": PRIVATE})
    arrived = read_update(replying)
    assert isinstance(arrived, Incoming)
    assert (arrived.message_id, arrived.reply_to) == (3, 12)
    forged = message(text="ja", reply_to_message={"message_id": "12"})
    forged["message"]["message_id"] = True
    arrived = read_update(forged)
    assert isinstance(arrived, Incoming)
    assert (arrived.message_id, arrived.reply_to) == (None, None)


def test_a_button_press_is_read_with_its_message_and_callback_id() -> None:
    arrived = read_update(press())
    assert isinstance(arrived, Incoming)
    assert arrived.action == ButtonPressed("lang:nl", 5, "99")


def test_a_deep_link_carries_its_payload() -> None:
    arrived = read_update(message(text="/start@OuderbrugBot 16AH00"))
    assert isinstance(arrived, Incoming)
    assert arrived.action == CommandSent(BotCommand.START, "16AH00")


def test_telegrams_own_examples_without_is_bot_or_chat_type_are_read() -> None:
    # core.telegram.org/bots/webhooks: `from` lacks is_bot, the first example's chat its type.
    update = message(text="/start")
    update["message"]["from"] = {"id": 4242, "first_name": "Test"}
    update["message"]["chat"] = {"id": 4242, "first_name": "Test"}
    assert isinstance(read_update(update), Incoming)


def test_someone_elses_contact_card_is_not_their_own_number() -> None:
    arrived = read_update(message(contact={"phone_number": "+31612345678", "user_id": 1}))
    assert isinstance(arrived, Incoming)
    assert arrived.action == ContactShared("+31612345678", own=False)


def test_an_edit_is_read_as_an_edit() -> None:
    update = message(text="x")
    update["edited_message"] = update.pop("message")
    arrived = read_update(update)
    assert isinstance(arrived, Incoming)
    assert arrived.action == Edited()


@pytest.mark.parametrize("chat_id", [4243, 1, -1001234])
def test_a_private_message_in_a_chat_that_is_not_the_senders_is_refused(chat_id: int) -> None:
    # Only a forged update has them differ: it would send a parent's replies elsewhere.
    update = message(text="/start")
    update["message"]["chat"] = {"id": chat_id, "type": "private"}
    assert isinstance(read_update(update), Ignored)


def test_a_press_in_a_chat_that_is_not_the_senders_is_refused_without_an_answer() -> None:
    refused = read_update(press(chat={"id": 777, "type": "private"}))
    assert isinstance(refused, Ignored)
    assert refused.callback_id is None


def test_a_press_on_a_message_we_cannot_see_is_answered_and_not_handled() -> None:
    update = press()
    del update["callback_query"]["message"]
    update["callback_query"]["inline_message_id"] = "1234csdbsk4839"
    assert read_update(update) == Ignored("press without a message", "99")


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 9, "inline_query": {"id": "1", "from": PARENT, "query": "", "offset": ""}},
        {
            "update_id": 9,
            "channel_post": {"message_id": 1, "chat": {"id": -100, "type": "channel"}},
        },
        {
            **message(text="hoi"),
            "message": {**message()["message"], "chat": {"id": -5, "type": "group"}},
        },
        {
            **message(text="hoi"),
            "message": {**message()["message"], "from": {**PARENT, "is_bot": True}},
        },
    ],
    ids=["inline query", "channel post", "group", "another bot"],
)
def test_what_the_bot_does_not_handle_is_acknowledged(update: dict[str, Any]) -> None:
    assert isinstance(read_update(update), Ignored)


def _with(update: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(update))
    *parents, last = path.split(".")
    target = copied
    for key in parents:
        target = target[key]
    if value is _MISSING:
        del target[last]
    else:
        target[last] = value
    return copied


_MISSING = object()
BAD_NUMBERS = [
    2**63,
    -(2**63) - 1,
    2**64 + 5,
    10**30,
    1.5,
    7.0,
    "7",
    math.nan,
    math.inf,
    True,
    None,
]


@pytest.mark.parametrize("value", [*BAD_NUMBERS, -1, _MISSING])
def test_an_update_id_that_is_not_a_64_bit_count_is_unreadable(value: Any) -> None:
    with pytest.raises(UnreadableUpdateError):
        read_update(_with(message(text="x"), "update_id", value))


@pytest.mark.parametrize("value", [*BAD_NUMBERS, 0, -4242, _MISSING])
def test_a_sender_id_that_is_not_a_64_bit_user_id_is_unreadable(value: Any) -> None:
    with pytest.raises(UnreadableUpdateError):
        read_update(_with(message(text="x"), "message.from.id", value))


@pytest.mark.parametrize("value", [*BAD_NUMBERS, _MISSING])
def test_a_chat_id_out_of_range_is_unreadable(value: Any) -> None:
    with pytest.raises(UnreadableUpdateError):
        read_update(_with(message(text="x"), "message.chat.id", value))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("callback_query.message.message_id", 2**70),
        ("callback_query.message.message_id", "5"),
        ("callback_query.id", 99),
        ("callback_query.data", 12),
        ("callback_query.from", "4242"),
        ("callback_query.message", []),
        ("callback_query", None),
    ],
)
def test_a_malformed_press_is_unreadable(path: str, value: Any) -> None:
    with pytest.raises(UnreadableUpdateError):
        read_update(_with(press(), path, value))


@pytest.mark.parametrize("update", [[], "update", 7, None, {"update_id": 1, "message": "hoi"}])
def test_what_is_not_an_update_object_is_unreadable(update: Any) -> None:
    with pytest.raises(UnreadableUpdateError):
        read_update(update)


def test_text_that_is_not_a_string_is_unreadable() -> None:
    with pytest.raises(UnreadableUpdateError):
        read_update(message(text=["/start"]))


def test_unreadable_names_the_field_and_never_the_value() -> None:
    with pytest.raises(UnreadableUpdateError) as caught:
        read_update(_with(message(text="x"), "message.from.id", "Amal al-Hassan"))
    assert "from.id" in str(caught.value)
    assert "Amal" not in str(caught.value)


def test_a_voice_note_is_read_by_its_file_id_and_never_downloaded() -> None:
    note = {"file_id": "AwACAgIAAxkBAAIBW2d", "file_unique_id": "AgAD", "duration": 4}
    arrived = read_update(message(voice=note))
    assert isinstance(arrived, Incoming)
    assert arrived.action == VoiceSent("AwACAgIAAxkBAAIBW2d", 4)


@pytest.mark.parametrize("file_id", ["", "short", "a b c d e f g h i j", "x" * 201, 17, None])
def test_a_voice_note_with_a_forged_file_id_stays_refused(file_id: Any) -> None:
    arrived = read_update(message(voice={"file_id": file_id, "duration": 2}))
    assert isinstance(arrived, Incoming)
    assert arrived.action == Unsupported("voice")
