"""After one child, the family may answer for another, without repeating family answers."""

from __future__ import annotations

from bot.parents.effects import ResponseCompleted
from tests.unit.parents.chat import Chat, join, walk_to_the_end

PARENT = 7


def test_another_child_at_the_same_school_skips_the_school_and_family_questions(
    chat: Chat,
) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    started = chat.press(PARENT, "Nog een kind op De Regenboog")
    assert started.replies[0].action == "answer_callback"
    first, second = chat.uow.parents.sessions
    assert (second.child_number, second.state["context"]) == (2, {"school": "16AH00"})
    assert [first.status, second.status] == ["completed", "active"]
    assert "In welke groep of klas" in chat.last_text(PARENT)
    # The family's answers carry over; the child's own do not.
    assert second.state["known"] == {
        "consent": "yes",
        "internet": "mobile_only",
        "contact": "phone",
        "phone": "+31612345678",
        "call_soon": "yes",
    }


def test_another_child_at_another_school_asks_the_school(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    chat.press(PARENT, "Nog een kind op een andere school")
    second = chat.uow.parents.sessions[1]
    assert second.state["context"] == {}
    assert second.state["current"] == "school"


def test_the_second_childs_response_is_its_own(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    chat.press(PARENT, "Nog een kind op De Regenboog")
    walk_to_the_end(chat, PARENT)
    first, second = chat.uow.parents.responses
    assert [first.child_number, second.child_number] == [1, 2]
    assert chat.happened == [ResponseCompleted(first.id), ResponseCompleted(second.id)]


def test_no_other_child_ends_politely(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    done = chat.press(PARENT, "Nee, dat was alles")
    assert chat.texts(done) == ["Dank u wel, u bent klaar. Typ /status om te zien wat wij bewaren."]
    assert len(chat.uow.parents.sessions) == 1
