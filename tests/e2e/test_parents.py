"""Parents on Telegram, end to end: real PTB client, real database, fake Bot API."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.storage.db import make_engine, session_factory
from bot.storage.models import Parent as ParentRow
from bot.storage.models import Response
from tests.e2e.harness import Parent, Settled, running_bot
from tests.fakes import FakeBotAPI, contact, sticker


def responses(database_url: str) -> list[Response]:
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            return list(db.scalars(select(Response).order_by(Response.id)))
    finally:
        engine.dispose()


async def answer_everything(parent: Parent, labels: dict[str, str]) -> None:
    """Walk the default flow after the language, with the labels of one language."""
    await parent.press(labels["yes_take_part"])
    await parent.press(labels["group_6"])
    await parent.press(labels["tablet"])
    await parent.press(labels["done"])
    await parent.press(labels["no"])
    await parent.press(labels["mobile_only"])
    await parent.press(labels["no"])
    await parent.press(labels["language"])
    await parent.press(labels["done"])
    await parent.press(labels["skip"])
    await parent.send(labels["remark"])
    await parent.press(labels["call_me"])
    await parent.send("06 12345678")
    await parent.press(labels["yes"])
    await parent.press(labels["send"])


DUTCH = {
    "language_name": "Nederlands",
    "yes_take_part": "Ja, ik doe mee",
    "group_6": "Groep 6",
    "tablet": "Tablet",
    "done": "Klaar",
    "no": "Nee",
    "yes": "Ja",
    "mobile_only": "Alleen internet op de telefoon",
    "language": "Wij lezen of spreken weinig Nederlands",
    "skip": "Overslaan",
    "remark": "Wij hebben geen printer.",
    "call_me": "Bel mij op",
    "send": "Alles klopt, versturen",
}
ARABIC = {
    "language_name": "العربية",
    "yes_take_part": "نعم، أشارك",
    "group_6": "المجموعة 6",
    "tablet": "جهاز لوحي",
    "done": "تم",
    "no": "لا",
    "yes": "نعم",
    "mobile_only": "إنترنت الهاتف فقط",
    "language": "نقرأ أو نتكلم الهولندية قليلًا",
    "skip": "تخطي",
    "remark": "ليس عندنا طابعة.",
    "call_me": "اتصلوا بي بالهاتف",
    "send": "كل شيء صحيح، إرسال",
}


def test_parents_complete_the_flow_in_two_languages_through_a_school_link(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            dutch = Parent(api, settled, 701, "nl")
            arabic = Parent(api, settled, 702, "ar")
            for parent, labels, school in ((dutch, DUTCH, "16AH00"), (arabic, ARABIC, "17BX01")):
                await parent.send(f"/start {school}")
                assert parent.api.last_message(parent.chat_id).buttons[0]["text"].startswith("✓")
                await parent.press(labels["language_name"])
                await answer_everything(parent, labels)
            assert any("السؤال" in text for text in arabic.texts())

    asyncio.run(scenario())
    stored = responses(database_url)
    assert [(r.school_code, r.language) for r in stored] == [("16AH00", "nl"), ("17BX01", "ar")]
    for response in stored:
        assert response.answers["devices"] == ["tablet"]
        assert response.answers["help_barrier"] == ["language"]
        assert response.answers["phone"] == "+31612345678"
    assert stored[1].answers["remarks"] == "ليس عندنا طابعة."


def test_ticking_a_multi_question_edits_its_buttons(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 703)
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            await parent.press("Ja, ik doe mee")
            await parent.press("Groep 1")
            before = len(api.messages(parent.chat_id))
            await parent.press("Tablet")
            assert len(api.messages(parent.chat_id)) == before  # edited, not sent again
            labels = [b["text"] for b in api.last_message(parent.chat_id).buttons]
            assert "✓ Tablet" in labels
            assert "Laptop of computer" in labels

    asyncio.run(scenario())


def test_a_duplicated_update_takes_effect_once(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 704)
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            message, data = parent.find("Ja, ik doe mee")
            from tests.fakes import callback

            update = callback(parent.user, message, data)
            await parent.push(update)
            sent = len(api.messages(parent.chat_id))
            await parent.push(update)  # Telegram delivers the very same update again
            assert len(api.messages(parent.chat_id)) == sent

    asyncio.run(scenario())
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            parent = db.scalars(select(ParentRow)).one()
            assert parent.language == "nl"
    finally:
        engine.dispose()


def test_a_stale_button_gets_a_polite_answer(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 705)
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            await parent.press("Ja, ik doe mee")
            await parent.press("Groep 1")
            sent = len(api.messages(parent.chat_id))
            late = await parent.press("Groep 2")  # the group question's button, again later
            assert await parent.answer_to(late) == "Deze vraag is al beantwoord."
            assert len(api.messages(parent.chat_id)) == sent

    asyncio.run(scenario())


def test_delete_erases_the_parent(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 706)
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            await answer_everything(parent, DUTCH)
            await parent.send("/delete")
            await parent.press("Ja, wis alles")
            assert "Alles is gewist" in parent.last_text

    asyncio.run(scenario())
    assert responses(database_url) == []


def test_the_language_picker_offers_telegrams_language_first(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 707, "uk")
            await parent.send("/start")
            first = api.last_message(parent.chat_id).buttons[0]["text"]
            assert first == "✓ Українська"
            *languages, aloud = api.last_message(parent.chat_id).buttons
            # Under the languages: read the questions aloud, in the likely language.
            assert aloud["text"] == "🔊 Читати запитання вголос"
            names = [b["text"].lstrip("✓ ") for b in languages]
            assert set(names) == {
                "Nederlands",
                "English",
                "العربية",
                "Türkçe",
                "Polski",
                "Українська",
            }

    asyncio.run(scenario())
    assert [c["command"] for c in api.commands("ar")][:3] == ["start", "language", "back"]
    assert api.commands("tr")[0]["description"] != api.commands("nl")[0]["description"]


def test_only_the_parents_own_contact_is_taken_as_phone_number(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 708)
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            for label in ("Ja, ik doe mee", "Groep 1", "Tablet", "Klaar", "Ja", "Goed", "Ja"):
                await parent.press(label)
            await parent.press("Overslaan")
            await parent.press("Overslaan")
            await parent.press("Bel mij op")
            keyboard = api.last_message(parent.chat_id).reply_markup or {}
            assert keyboard["keyboard"][0][0]["request_contact"] is True
            await parent.push(contact(parent.user, "+31 6 87654321", own=False))
            assert "eigen telefoonnummer" in parent.last_text
            await parent.push(contact(parent.user, "+31687654321", own=True))
            await parent.press("Nee")
            await parent.press("Alles klopt, versturen")
            await parent.push(sticker(parent.user))
            assert "alleen tekst en knoppen" in parent.last_text

    asyncio.run(scenario())
    assert responses(database_url)[0].answers["phone"] == "+31687654321"
