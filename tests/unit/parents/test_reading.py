"""Reading the questions aloud (/voice, the picker's button) and voice notes as answers."""

from __future__ import annotations

from bot.engine.answers import voice_answer
from bot.engine.flow import Flow
from bot.i18n.localizer import Localizers
from bot.messages.incoming import ButtonPressed, VoiceSent
from tests.unit.parents.chat import Chat, conversations, join

PARENT = 8
NOTE = VoiceSent("AwACAgIAAxkBAAIBW2dVoiceNote", 4)


def speaking(flows: dict[str, Flow], localizers: Localizers) -> Chat:
    return Chat(conversations(flows, localizers, speech=lambda: None))


def voices(chat: Chat) -> list[tuple[str, str | None, str | None]]:
    return [(r.text, r.language, r.entry) for r in chat.sent[PARENT] if r.action == "voice"]


def test_voice_reads_each_question_with_its_numbered_options(
    flows: dict[str, Flow], localizers: Localizers
) -> None:
    chat = speaking(flows, localizers)
    join(chat, PARENT)
    turned_on = chat.say(PARENT, "/voice")
    assert chat.texts(turned_on)[0].startswith("Ik lees de vragen nu ook voor")
    assert [r.action for r in turned_on.replies][-1] == "voice"  # the current question, read
    chat.press(PARENT, "Ja, ik doe mee")

    text, language, entry = voices(chat)[-1]
    assert language == "nl"
    assert entry is not None
    assert text.startswith(entry)  # the question as its recording is found, then the options
    assert "\n1. Groep 1." in text


def test_voice_turns_reading_aloud_off_again(
    flows: dict[str, Flow], localizers: Localizers
) -> None:
    chat = speaking(flows, localizers)
    join(chat, PARENT)
    chat.say(PARENT, "/voice")
    turned_off = chat.say(PARENT, "/voice")
    before = len(voices(chat))

    chat.press(PARENT, "Ja, ik doe mee")

    assert chat.texts(turned_off) == [
        "Ik lees de vragen niet meer voor. Typ /voice om dat weer aan te zetten."
    ]
    assert len(voices(chat)) == before
    assert chat.uow.parents.parents[0].read_aloud is False


def test_the_picker_button_turns_it_on_before_a_language_is_chosen(
    flows: dict[str, Flow], localizers: Localizers
) -> None:
    chat = speaking(flows, localizers)
    chat.act(PARENT, ButtonPressed("nonsense", 1, "cb"), language_code="tr")

    aloud = ButtonPressed(chat.button(PARENT, "🔊"), 1, "cb")
    effects = chat.act(PARENT, aloud, language_code="tr")
    [popup] = [r for r in effects.replies if r.action == "answer_callback"]
    [redrawn] = [r for r in effects.replies if r.action == "edit_markup"]
    assert popup.text.startswith("Soruları artık sesli")  # in Telegram's language
    assert redrawn.buttons[0][0].text == "✓ Türkçe"
    assert redrawn.buttons[-1][0].text == "✓ 🔊 Soruları sesli oku"

    chat.press(PARENT, "Türkçe")
    assert voices(chat)
    assert {language for _, language, _ in voices(chat)} == {"tr"}


def test_without_speech_the_parent_hears_that_only_recordings_are_read(chat: Chat) -> None:
    join(chat, PARENT)
    effects = chat.say(PARENT, "/voice")
    assert "alleen vragen voor die iemand heeft ingesproken" in chat.texts(effects)[0]


def test_a_voice_note_answers_the_free_text_question_and_nothing_else(chat: Chat) -> None:
    join(chat, PARENT)
    refused = chat.act(PARENT, NOTE)  # at the consent question
    assert chat.texts(refused)[0].startswith("Ik kan alleen tekst en knoppen lezen.")
    for label in ("Ja, ik doe mee", "Groep 5", "Tablet", "Klaar", "Nee", "Goed", "Ja", "Overslaan"):
        chat.press(PARENT, label)

    chat.act(PARENT, NOTE)

    [session] = chat.uow.parents.sessions
    assert session.state["answers"]["remarks"] == voice_answer(NOTE.file_id)
    assert chat.jobs == []  # no words to translate
