"""Starting, answering and finishing the default flow; resuming where the parent was."""

from __future__ import annotations

from bot.parents.effects import ResponseCompleted
from tests.unit.parents.chat import Chat, join, walk_to_the_end

PARENT = 7


def test_a_parent_from_a_school_link_completes_the_flow(chat: Chat) -> None:
    join(chat, PARENT)
    assert "In welke groep of klas" in chat.last_text(PARENT)  # the school came from the link
    last = walk_to_the_end(chat, PARENT)
    assert "nog een kind" in chat.last_text(PARENT)
    [response] = chat.uow.parents.responses
    assert (response.school_code, response.child_number, response.language) == ("16AH00", 1, "nl")
    assert response.answers["devices"] == ["tablet"]  # stored as JSON, choice keys
    assert response.answers["remarks"] == "Mijn zoon heeft geen bureau."
    [session] = chat.uow.parents.sessions
    assert session.status == "completed"
    assert last.happened == (ResponseCompleted(response.id),)


def test_only_the_completing_step_reports_a_response(chat: Chat) -> None:
    join(chat, PARENT)
    chat.press(PARENT, "Groep 6")
    assert chat.happened == []
    walk_to_the_end(chat, PARENT)
    assert chat.happened == [ResponseCompleted(1)]


def test_start_again_asks_the_question_the_parent_was_at(chat: Chat) -> None:
    join(chat, PARENT)
    chat.press(PARENT, "Groep 6")
    asked = chat.last_text(PARENT)
    resumed = chat.say(PARENT, "/start")
    assert chat.texts(resumed) == [asked]
    assert len(chat.uow.parents.sessions) == 1


def test_a_typed_answer_without_a_session_gets_help(chat: Chat) -> None:
    chat.say(PARENT, "/start")
    chat.press(PARENT, "Nederlands")
    chat.press(PARENT, "Nee")  # no consent: the session ends, nothing kept
    assert chat.uow.parents.sessions[0].status == "declined"
    helped = chat.say(PARENT, "hallo")
    assert "Ik stel u vragen over leren thuis" in chat.texts(helped)[0]


def test_a_button_of_a_finished_session_answers_with_a_pop_up(chat: Chat) -> None:
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    late = chat.press(PARENT, "Groep 6")
    [popup] = late.replies
    assert (popup.action, popup.text) == ("answer_callback", "Deze vraag is al beantwoord.")


def test_a_free_text_answer_is_sent_for_translation_into_the_schools_language(
    chat: Chat,
) -> None:
    chat.uow.translations.languages["16AH00"] = "en"
    join(chat, PARENT)
    walk_to_the_end(chat, PARENT)
    [session] = chat.uow.parents.sessions
    remarks = [job for job in chat.jobs if job.step_id == "remarks"]
    assert [(j.session_id, j.target_language) for j in remarks] == [(session.id, "en")]


def test_back_goes_to_the_question_before(chat: Chat) -> None:
    join(chat, PARENT)
    grade = chat.last_text(PARENT)
    chat.press(PARENT, "Groep 6")
    chat.say(PARENT, "/back")
    assert chat.last_text(PARENT) == grade
