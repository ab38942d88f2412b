"""/delete erases a parent only when they confirm, and only while the buttons are fresh."""

from __future__ import annotations

import time

from bot.messages.callbacks import ConfirmDelete, encode
from bot.messages.incoming import ButtonPressed
from tests.unit.parents.chat import Chat, join, walk_to_the_end

PARENT, OTHER = 7, 8


def test_delete_asks_first_and_erases_nothing_yet(chat: Chat) -> None:
    join(chat, PARENT)
    asked = chat.say(PARENT, "/delete")
    assert "Wilt u alles wissen" in chat.texts(asked)[0]
    assert [b.text for row in asked.replies[0].buttons for b in row] == [
        "Ja, wis alles",
        "Nee, niet wissen",
    ]
    assert chat.uow.parents.erased == []


def test_confirming_erases_the_parent_and_nobody_else(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    join(chat, OTHER)
    chat.say(PARENT, "/delete")
    erased = chat.press(PARENT, "Ja, wis alles")
    assert erased.erased
    assert erased.replies[0].action == "answer_callback"
    assert chat.texts(erased)[0].startswith("Alles is gewist.")
    assert [p.telegram_user_id for p in chat.uow.parents.parents] == [OTHER]
    assert chat.uow.parents.responses == []
    assert [s.parent_id for s in chat.uow.parents.sessions] == [2]


def test_saying_no_erases_nothing(chat: Chat) -> None:
    join(chat, PARENT)
    chat.say(PARENT, "/delete")
    kept = chat.press(PARENT, "Nee, niet wissen")
    assert not kept.erased
    assert chat.texts(kept) == ["Er is niets gewist."]
    assert len(chat.uow.parents.parents) == 1


def test_a_confirmation_pressed_too_late_is_refused(chat: Chat) -> None:
    join(chat, PARENT)
    issued = int(time.time()) - 16 * 60
    late = chat.act(PARENT, ButtonPressed(encode(ConfirmDelete(True, issued)), 1, "cb"))
    assert not late.erased
    assert chat.texts(late) == ["Deze knop is verlopen. Typ /delete opnieuw."]
    assert chat.uow.parents.erased == []


def test_a_confirmation_in_time_is_taken(chat: Chat) -> None:
    join(chat, PARENT)
    issued = int(time.time()) - 14 * 60
    assert chat.act(PARENT, ButtonPressed(encode(ConfirmDelete(True, issued)), 1, "cb")).erased
