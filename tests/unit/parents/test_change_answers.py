"""A finished family changes a child's answers from /status; the child stays one child."""

from __future__ import annotations

from bot.messages.callbacks import ChangeAnswers, encode
from bot.messages.incoming import ButtonPressed
from bot.storage.models import utcnow
from tests.unit.parents.chat import Chat, join, walk_to_the_end

PARENT = 7
OTHER = 8


def _change_first_child(chat: Chat) -> None:
    """From /status, answer child 1's questions again, now with a laptop and no call."""
    chat.say(PARENT, "/status")
    chat.press(PARENT, "Antwoorden kind 1 veranderen")
    chat.press(PARENT, "Ja, ik doe mee")
    for label in ("Groep 6", "Laptop", "Klaar", "Nee", "Alleen internet op de telefoon", "Nee"):
        chat.press(PARENT, label)
    for label in ("Wij lezen of spreken weinig Nederlands", "Klaar"):
        chat.press(PARENT, label)
    chat.press(PARENT, "Een laptop of tablet lenen")
    chat.press(PARENT, "Klaar")
    chat.say(PARENT, "Nu met een laptop.")
    chat.press(PARENT, "Bel mij op")
    chat.say(PARENT, "06 12345678")
    chat.press(PARENT, "Nee")  # no longer urgent
    chat.press(PARENT, "Alles klopt, versturen")


def test_restart_and_back_after_sending_add_no_second_child(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    chat.press(PARENT, "Nee, dat was alles")
    for command in ("/restart", "/back"):
        [said] = chat.texts(chat.say(PARENT, command))
        assert said.startswith("Uw antwoorden zijn al naar de school gestuurd.")
    assert len(chat.uow.parents.responses) == 1
    assert [s.status for s in chat.uow.parents.sessions] == ["completed"]


def test_a_changed_child_is_changed_in_place_never_added(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    [response] = chat.uow.parents.responses
    response.digest_id, response.listed_at = 5, utcnow()  # the school has seen these answers
    seen = dict(response.answers)
    _change_first_child(chat)
    assert chat.last_text(PARENT).startswith("Dank u wel. Uw veranderingen zijn bewaard")
    [changed] = chat.uow.parents.responses
    assert changed is response
    assert changed.child_number == 1
    assert changed.previous_answers == seen
    assert changed.answers["devices"] == ["computer"]
    assert changed.answers["call_soon"] == "no"
    assert changed.changed_at is not None
    assert changed.digest_id == 5
    assert changed.session_id == chat.uow.parents.sessions[-1].id
    # Changing is no new request: the change is reported as a change, never as a new family.
    assert [type(h).__name__ for h in chat.happened] == ["ResponseCompleted", "ResponseChanged"]


def test_a_change_before_any_digest_keeps_no_previous_answers(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    _change_first_child(chat)
    [response] = chat.uow.parents.responses
    assert response.previous_answers is None
    assert response.changed_at is not None


def test_the_next_child_after_a_change_is_the_next_number(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    chat.press(PARENT, "Nog een kind op De Regenboog")
    assert chat.uow.parents.sessions[-1].child_number == 2
    chat.say(PARENT, "/restart")  # still under way: the engine starts child 2 over
    assert chat.uow.parents.sessions[-1].child_number == 2


def test_another_parents_response_cannot_be_changed(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    [theirs] = chat.uow.parents.responses
    join(chat, OTHER)
    walk_to_the_end(chat, OTHER)
    before = len(chat.uow.parents.sessions)
    forged = ButtonPressed(encode(ChangeAnswers(theirs.id)), 1, "cb")
    effects = chat.act(OTHER, forged)
    assert [r.text for r in effects.replies] == ["Deze vraag is al beantwoord."]
    assert len(chat.uow.parents.sessions) == before
    for bad in ("edit:0", "edit:-1", "edit:01", "edit:9999999999", "edit:x"):
        chat.act(OTHER, ButtonPressed(bad, 1, "cb"))
    assert len(chat.uow.parents.sessions) == before


def test_a_change_button_while_answering_asks_to_finish_first(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    chat.say(PARENT, "/status")
    data = chat.button(PARENT, "Antwoorden kind 1 veranderen")
    chat.press(PARENT, "Nog een kind op De Regenboog")
    effects = chat.act(PARENT, ButtonPressed(data, 1, "cb"))
    assert chat.texts(effects) == ["Maak eerst de vragen af waar u nu mee bezig bent."]
