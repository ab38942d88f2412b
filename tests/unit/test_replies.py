"""Replies: they wait in the outbox as JSON, and reach Telegram within its limits."""

from __future__ import annotations

import json
from typing import Any

from bot.limits import BUTTON_LABEL_LIMIT, MESSAGE_LIMIT, POPUP_LIMIT, length
from bot.messages.replies import Button, Replies, Reply


def test_every_field_of_a_reply_survives_the_outbox() -> None:
    reply = Reply(
        "edit_markup",
        text="Welke apparaten?",
        buttons=((Button("✓ Laptop", "c:1:laptop"), Button("Tablet", "c:1:tablet")),),
        ask_contact="Deel mijn nummer",
        message_id=42,
        callback_id="cb-7",
        carrying=(3, 5),
        language="ar",
        file_id="AwACAgIAAxkBAAIBW2d",
        entry="Heeft uw kind een laptop?",
        from_chat_id=1001,
        traced=True,
    )
    defaults = Reply("send")
    # Every field differs from its default, so one that to_payload forgot would show here.
    assert all(
        getattr(reply, name) != getattr(defaults, name) for name in Reply.__dataclass_fields__
    )
    assert Reply.from_payload(json.loads(json.dumps(reply.to_payload()))) == reply


def test_a_reply_stored_before_voice_notes_existed_is_read_back() -> None:
    stored: dict[str, Any] = {"action": "send", "text": "Hallo", "buttons": [], "ask_contact": None}
    stored |= {"message_id": None, "callback_id": None, "carrying": []}

    assert Reply.from_payload(stored) == Reply("send", text="Hallo")


def test_a_text_over_telegram_s_limit_becomes_several_messages_with_the_buttons_last() -> None:
    replies = Replies(7)
    lines = [f"Regel {n}: " + "😀" * 100 for n in range(60)]  # about 12,600 units to Telegram
    buttons = ((Button("Klaar", "k:1:done"),),)

    replies.send("\n".join(lines), buttons, ask_contact="Mijn nummer delen")

    assert len(replies.items) > 1
    assert all(length(reply.text) <= MESSAGE_LIMIT for reply in replies.items)
    assert "\n".join(reply.text for reply in replies.items).split("\n") == lines
    *before, last = replies.items
    assert last.buttons == buttons
    assert last.ask_contact == "Mijn nummer delen"
    assert all(not reply.buttons and reply.ask_contact is None for reply in before)


def test_a_text_within_the_limit_is_one_message_as_it_was() -> None:
    replies = Replies(7)
    replies.send("x" * MESSAGE_LIMIT)

    assert [reply.text for reply in replies.items] == ["x" * MESSAGE_LIMIT]


def test_long_button_labels_are_shortened_wherever_buttons_are_sent() -> None:
    school = "Openbare Basisschool " + "De Regenboog " * 15  # a name DUO allows
    rows = ((Button(f"Nog een kind op {school}", "child:same"), Button("Nee", "child:none")),)
    replies = Replies(7)

    replies.send("Heeft u nog een kind op school?", rows)
    replies.edit_markup(3, rows)

    for reply in replies.items:
        [[long, short]] = reply.buttons
        assert length(long.text) <= BUTTON_LABEL_LIMIT
        assert long.text.startswith("Nog een kind op Openbare Basisschool")
        assert long.text.endswith("…")
        assert long.data == "child:same"
        assert short == Button("Nee", "child:none")


def test_a_pop_up_is_kept_within_telegram_s_200_characters() -> None:
    replies = Replies(7)

    replies.answer("cb", "Genoteerd. " * 30)

    [popup] = replies.items
    assert length(popup.text) <= POPUP_LIMIT
    assert popup.text.startswith("Genoteerd.")
