"""A parent is asked their language first, and spoken to in the one they pick."""

from __future__ import annotations

from bot.messages.callbacks import PickLanguage, encode
from bot.messages.incoming import ButtonPressed
from tests.unit.parents.chat import Chat

PARENT = 7


def test_a_new_parent_is_shown_the_picker_with_telegrams_language_first(chat: Chat) -> None:
    effects = chat.act(PARENT, ButtonPressed("nonsense", 1, "cb"), language_code="uk")
    [picker, answered] = effects.replies
    assert "Kies uw taal." in picker.text
    assert picker.buttons[0][0].text.startswith("✓ ")  # Ukrainian, marked
    assert picker.buttons[0][0].data == encode(PickLanguage("uk"))
    assert answered.action == "answer_callback"  # the spinner stops
    assert chat.uow.parents.parents[0].language is None


def test_picking_a_language_starts_the_flow_in_it(chat: Chat) -> None:
    chat.say(PARENT, "/start 16AH00")
    chat.press(PARENT, "English")
    [parent] = chat.uow.parents.parents
    assert (parent.language, parent.arrival_school) == ("en", "16AH00")
    assert "Do you want to take part?" in chat.last_text(PARENT)


def test_a_language_nobody_offered_shows_the_picker_again(chat: Chat) -> None:
    chat.act(PARENT, ButtonPressed(encode(PickLanguage("xx")), 1, "cb"))
    assert "Kies uw taal." in chat.last_text(PARENT)
    assert chat.uow.parents.parents[0].language is None


def test_a_new_language_mid_flow_asks_the_same_question_in_it(chat: Chat) -> None:
    chat.say(PARENT, "/start 16AH00")
    chat.press(PARENT, "Nederlands")
    chat.press(PARENT, "Ja, ik doe mee")
    assert "In welke groep of klas" in chat.last_text(PARENT)
    chat.say(PARENT, "/language")
    chat.press(PARENT, "English")
    assert "group" in chat.last_text(PARENT).lower()
    [session] = chat.uow.parents.sessions
    assert session.state["language"] == "en"
    assert len(chat.uow.parents.sessions) == 1  # the same session goes on


def test_a_link_to_an_unknown_school_is_not_remembered(chat: Chat) -> None:
    chat.say(PARENT, "/start 99ZZ99")
    assert chat.uow.parents.parents[0].arrival_school is None
