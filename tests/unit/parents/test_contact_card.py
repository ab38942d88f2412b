"""A shared contact card answers the phone question, and only that one."""

from __future__ import annotations

from bot.messages.incoming import ContactShared
from tests.unit.parents.chat import Chat, join

PARENT = 7
CARD = ContactShared("+31612345678", own=True)


def to_the_phone_question(chat: Chat) -> None:
    join(chat, PARENT)
    for label in ("Groep 6", "Tablet", "Klaar", "Nee", "Alleen internet op de telefoon", "Nee"):
        chat.press(PARENT, label)
    chat.press(PARENT, "Wij lezen of spreken weinig Nederlands")
    chat.press(PARENT, "Klaar")
    chat.press(PARENT, "Een laptop of tablet lenen")
    chat.press(PARENT, "Klaar")
    chat.say(PARENT, "Geen opmerkingen.")
    chat.press(PARENT, "Bel mij op")


def test_a_card_without_a_session_gets_help(chat: Chat) -> None:
    chat.say(PARENT, "/start")
    chat.press(PARENT, "Nederlands")
    chat.press(PARENT, "Nee")
    assert "Ik stel u vragen over leren thuis" in chat.texts(chat.act(PARENT, CARD))[0]


def test_a_card_at_another_question_is_not_taken_as_its_answer(chat: Chat) -> None:
    join(chat, PARENT)
    refused = chat.act(PARENT, CARD)
    assert chat.texts(refused) == [
        "Uw telefoonnummer vraag ik hier niet. Typ uw antwoord op deze vraag, of tik op een knop."
    ]
    assert "grade" not in chat.uow.parents.sessions[0].state["answers"]


def test_someone_elses_card_is_refused_at_the_phone_question(chat: Chat) -> None:
    to_the_phone_question(chat)
    refused = chat.act(PARENT, ContactShared("+31698765432", own=False))
    assert chat.texts(refused) == ["Deel alleen uw eigen telefoonnummer, of typ het."]
    assert "phone" not in chat.uow.parents.sessions[0].state["answers"]


def test_the_parents_own_card_answers_the_phone_question(chat: Chat) -> None:
    to_the_phone_question(chat)
    phone_question = next(r for r in reversed(chat.sent[PARENT]) if r.action == "send")
    assert phone_question.ask_contact == "Mijn nummer delen"
    chat.act(PARENT, CARD)
    answers = chat.uow.parents.sessions[0].state["answers"]
    assert answers["phone"] == "+31612345678"
