"""Replies wait in the outbox as JSON: every field must come back as it went in."""

from __future__ import annotations

import json

from bot.service.replies import Button, Reply


def test_every_field_of_a_reply_survives_the_outbox() -> None:
    reply = Reply(
        "edit_markup",
        text="Welke apparaten?",
        buttons=((Button("✓ Laptop", "c:1:laptop"), Button("Tablet", "c:1:tablet")),),
        ask_contact="Deel mijn nummer",
        message_id=42,
        callback_id="cb-7",
    )
    defaults = Reply("send")
    # Every field differs from its default, so one that to_payload forgot would show here.
    assert all(
        getattr(reply, name) != getattr(defaults, name) for name in Reply.__dataclass_fields__
    )
    assert Reply.from_payload(json.loads(json.dumps(reply.to_payload()))) == reply
