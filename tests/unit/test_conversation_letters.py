"""What a conversation sends each side, composed from a stored message without any I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.conversations.letters import outcome_notice, to_parent, to_staff
from bot.digests.build import Dates
from bot.digests.conversation import conversation_lines
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import AnswerSchool, ShowOriginal, WriteToFamily, decode
from bot.settings import PROJECT_DIR
from bot.storage.models import ConversationMessage

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def staff_message(**fields: object) -> ConversationMessage:
    values: dict[str, object] = {
        "id": 7,
        "parent_id": 1,
        "school_code": "16AH00",
        "response_id": 12,
        "author": "staff",
        "staff_name": "juf Anja",
        "text": "De laptop is klaar.",
        "language": "nl",
        "translation": "Dizüstü bilgisayar hazır.",
        "untranslated": False,
        "state": "delivered",
        "created_at": NOW,
    }
    return ConversationMessage(**{**values, **fields})


def test_a_translated_message_names_school_and_writer_and_offers_the_original() -> None:
    turkish = Localizers(PROJECT_DIR / "locales").get("tr")
    text, buttons, _ = to_parent(staff_message(), "De Regenboog, Utrecht", turkish)
    assert "otomatik" in text
    assert "juf Anja" in text
    assert text.endswith("Dizüstü bilgisayar hazır.")
    assert "De laptop is klaar." not in text
    pressed = [decode(b.data) for row in buttons for b in row]
    assert pressed == [ShowOriginal(7), AnswerSchool(7)]


def test_an_untranslated_message_goes_as_written_with_a_note_and_no_original_button() -> None:
    arabic = Localizers(PROJECT_DIR / "locales").get("ar")
    message = staff_message(translation=None, untranslated=True)
    text, buttons, _ = to_parent(message, "De Regenboog", arabic)
    assert "الهولندية" in text  # "Dutch": the school writes in Dutch
    assert text.endswith("De laptop is klaar.")
    assert [decode(b.data) for row in buttons for b in row] == [AnswerSchool(7)]
    assert outcome_notice(message) == "Afgeleverd bij gezin #12, niet vertaald: tolk nodig."


def test_staff_read_the_translation_beside_the_original_and_can_write_back() -> None:
    answer = staff_message(
        author="parent", staff_name=None, text="Teşekkürler.", language="tr", translation="Dank."
    )
    text, buttons, carrying = to_staff(answer)
    assert text.splitlines() == [
        "Gezin #12 (taal: Turks) antwoordt:",
        "Vertaling: Dank.",
        "Origineel: «Teşekkürler.»",
    ]
    assert [decode(b.data) for row in buttons for b in row] == [WriteToFamily(12)]
    assert carrying == (12,)


def test_the_digest_calls_out_a_message_unanswered_for_two_days() -> None:
    dutch = Localizers(PROJECT_DIR / "locales").get("nl")
    dates = Dates("nl")
    fresh = conversation_lines(staff_message(), NOW + timedelta(hours=3), dutch, dates)
    assert fresh == ("Gesprek: laatste bericht 7 dec 2026, 13:00, van juf Anja",)
    waiting = staff_message(author="parent", staff_name=None)
    late = conversation_lines(waiting, NOW + timedelta(days=2), dutch, dates)
    assert late == ("Gesprek: het gezin wacht sinds 7 dec 2026, 13:00 op antwoord",)
    blocked = conversation_lines(staff_message(state="blocked"), NOW, dutch, dates)
    assert blocked == ("Gesprek: het gezin heeft de bot geblokkeerd",)
