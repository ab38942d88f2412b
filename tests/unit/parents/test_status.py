"""/status tells a parent what is kept about them, and how far they are."""

from __future__ import annotations

from tests.unit.parents.chat import Chat, join, walk_to_the_end

PARENT = 7


def test_a_parent_with_nothing_stored_is_told_so(chat: Chat) -> None:
    chat.say(PARENT, "/start")
    chat.press(PARENT, "Nederlands")
    chat.press(PARENT, "Nee")  # declined: nothing kept
    assert chat.texts(chat.say(PARENT, "/status")) == ["Wij bewaren niets van u."]


def test_a_session_under_way_shows_the_question_number(chat: Chat) -> None:
    join(chat, PARENT)
    chat.press(PARENT, "Groep 6")
    [told] = chat.texts(chat.say(PARENT, "/status"))
    assert "U bent bezig met de vragen: vraag 3 van" in told
    assert "Typ /delete om alles te wissen." in told


def test_a_finished_response_is_listed_with_its_school_and_answers(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    told, offer = chat.texts(chat.say(PARENT, "/status"))
    assert offer.startswith("Wilt u iets veranderen?")
    assert told.startswith("Kind 1: De Regenboog, Utrecht, verstuurd op ")
    assert "Mijn zoon heeft geen bureau." in told
    assert "bezig met de vragen" not in told
