"""A school writes to a family and reads its answer, each in their own language, on Telegram."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from bot.storage.db import make_engine, session_factory
from bot.storage.models import ConversationMessage, OutboxMessage, Response, Staff, utcnow
from bot.translation.packages import install_package
from tests.e2e.harness import SCHOOLS, Parent, Settled, running_bot
from tests.e2e.test_parents import DUTCH, answer_everything
from tests.fakes import FakeBotAPI, SentMessage, text_message

TURKISH = {
    **DUTCH,
    "language_name": "Türkçe",
    "yes_take_part": "Evet, katılıyorum",
    "group_6": "Grup 6",
    "done": "Bitti",
    "no": "Hayır",
    "yes": "Evet",
    "mobile_only": "Sadece telefonda internet",
    "language": "Hollandacayı az okuyor veya konuşuyoruz",
    "skip": "Atla",
    "remark": "Yazıcımız yok.",
    "call_me": "Beni arayın",
    "send": "Hepsi doğru, gönder",
}
THREE_SENTENCES = "Beste ouders, de laptop is klaar. U kunt hem dinsdag ophalen. Tot dan!"
TEACHER, OTHER_TEACHER, FAMILY = 941, 942, 951


@pytest.fixture(scope="module")
def turkish_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install tiny random-weight nl→tr and tr→nl packages; return their folder."""
    from tests.fakes.argosmodel import build_package, train_sentencepiece

    built = tmp_path_factory.mktemp("argos-tr")
    folder = tmp_path_factory.mktemp("packages-tr")
    pieces = train_sentencepiece(250)
    for seed, (source, target) in enumerate((("nl", "tr"), ("tr", "nl")), start=1):
        archive = build_package(source, target, built, sentencepiece_model=pieces, seed=seed)
        install_package(archive, folder)
    return folder


async def until(api: FakeBotAPI, chat_id: int, contains: str, after: int = 0) -> SentMessage:
    """Wait for a message the relay sends after translating, past the update's settling."""
    return await api.async_wait_for_message(chat_id, contains, after=after, timeout=30)


async def recorded(settled: Settled) -> None:
    """Wait until every message the bot sent is recorded as sent, with Telegram's id."""
    engine = make_engine(settled.database_url)

    def unsent() -> int:
        with session_factory(engine)() as db:
            counted = select(func.count()).select_from(OutboxMessage)
            return int(db.scalar(counted.where(OutboxMessage.sent_at.is_(None))) or 0)

    try:
        for _ in range(500):
            if not await asyncio.to_thread(unsent):
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the outbox was not recorded in 10s")
    finally:
        engine.dispose()


def newest_id(api: FakeBotAPI, chat_id: int) -> int:
    messages = api.messages(chat_id)
    return messages[-1].message_id if messages else 0


def reply_to(sender: dict[str, Any], text: str, chat_id: int, message_id: int) -> dict[str, Any]:
    update = text_message(sender, text)
    update["message"]["reply_to_message"] = {
        "message_id": message_id,
        "chat": {"id": chat_id, "type": "private"},
        "date": 0,
        "text": "...",
    }
    return update


def forged_press(sender: dict[str, Any], data: str) -> dict[str, Any]:
    """A press on a message the bot never sent, with button data the bot never made."""
    return {
        "callback_query": {
            "id": f"forged-{data}",
            "from": sender,
            "chat_instance": "1",
            "data": data,
            "message": {"message_id": 999_999, "chat": {"id": sender["id"], "type": "private"}},
        }
    }


async def joined(staff: Parent, school: int, name: str) -> None:
    await staff.send(f"/start staff-{SCHOOLS[school][3]}")
    assert "Met welke naam" in staff.last_text
    await staff.send(name)
    assert name in staff.last_text


async def turkish_family(api: FakeBotAPI, settled: Settled) -> tuple[Parent, int]:
    family = Parent(api, settled, FAMILY, "tr")
    await family.send("/start 16AH00")
    await family.press("Türkçe")
    await answer_everything(family, TURKISH)
    engine = make_engine(settled.database_url)
    try:
        with session_factory(engine)() as db:
            response_id = db.scalar(select(Response.id).order_by(Response.id.desc()).limit(1))
    finally:
        engine.dispose()
    assert response_id is not None
    return family, response_id


def test_staff_write_to_a_turkish_family_and_read_its_turkish_answer_in_dutch(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    turkish_packages: Path,
) -> None:
    environment["TRANSLATION_PACKAGES_DIR"] = str(turkish_packages)

    async def scenario() -> None:
        async with running_bot(environment):
            teacher = Parent(api, settled, TEACHER)
            await joined(teacher, 0, "juf Anja")
            family, number = await turkish_family(api, settled)
            await teacher.send("/responses")
            await teacher.press(f"Bericht aan gezin #{number}")
            assert "in het turks" in teacher.last_text
            before = newest_id(api, FAMILY)
            await teacher.send(THREE_SENTENCES)
            letter = await until(api, FAMILY, "juf Anja", after=before)
            text = letter.text or ""
            # Turkish around the translation, naming the school and the chosen name only.
            assert "De Regenboog" in text
            assert "otomatik" in text.lower()
            assert THREE_SENTENCES not in text
            assert str(TEACHER) not in text
            assert "Ouder" not in text
            assert await until(api, TEACHER, f"Afgeleverd bij gezin #{number}.")
            await family.press("Orijinali göster")
            assert THREE_SENTENCES in family.last_text
            # Outside a flow, the family's typed text is its answer.
            await family.send("Teşekkürler, salı geliyoruz.")
            assert "De Regenboog" in family.last_text
            answer = await until(api, TEACHER, f"Gezin #{number} (taal: Turks) antwoordt:")
            lines = (answer.text or "").splitlines()
            assert lines[1].startswith("Vertaling: ")
            assert "tolk" not in lines[1]
            assert lines[2] == "Origineel: «Teşekkürler, salı geliyoruz.»"
            assert str(FAMILY) not in (answer.text or "")
            # A reply in Telegram to the family's message reaches the family too, once the
            # bot has noted which message Telegram delivered (a person takes longer).
            await recorded(settled)
            before = newest_id(api, FAMILY)
            await teacher.push(reply_to(teacher.user, "Graag gedaan.", TEACHER, answer.message_id))
            assert await until(api, FAMILY, "juf Anja", after=before)
            # The family's own button under the school's message.
            await family.press("Okula cevap ver")
            assert "cevabınızı yazın" in family.last_text
            await family.send("Saat kaçta?")
            assert await until(api, TEACHER, "Origineel: «Saat kaçta?»")
            # In a flow (a second child) its question comes first; a reply goes to the school.
            await recorded(settled)
            await family.press("De Regenboog okulunda bir çocuk daha")
            await family.send("Grup 3")
            await family.push(reply_to(family.user, "Bir sorum var.", FAMILY, letter.message_id))
            assert await until(api, TEACHER, "Origineel: «Bir sorum var.»")
            assert not any("Grup 3" in (m.text or "") for m in api.messages(TEACHER))

    asyncio.run(scenario())


def test_another_schools_staff_and_revoked_staff_cannot_reach_the_family(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            teacher = Parent(api, settled, TEACHER)
            other = Parent(api, settled, OTHER_TEACHER)
            await joined(teacher, 0, "juf Anja")
            await joined(other, 1, "meester Bas")
            _family, number = await turkish_family(api, settled)
            await teacher.send("/responses")
            letter = next(m for m in reversed(api.messages(TEACHER)) if m.callback_data)
            seen_by_family = len(api.messages(FAMILY))
            # Forged presses: this family, one that never was, and nonsense.
            for data in (f"cw:{number}", "cw:777", "cw:0", "cw:-1", f"cw:{number}:x"):
                await other.push(forged_press(other.user, data))
            answers = [c.params.get("text") for c in api.calls_to("answerCallbackQuery")]
            refusals = [a for a in answers if a and "niet (meer) te vinden" in a]
            assert len(refusals) == 2  # the same words for this family and for none
            await other.send("Hallo gezin, dit is een ander school.")
            # A reply to the teacher's message, copied into the other school's chat.
            await other.push(reply_to(other.user, "Hallo?", OTHER_TEACHER, letter.message_id))
            await asyncio.sleep(1.0)
            assert len(api.messages(FAMILY)) == seen_by_family
            # The teacher chose the family, then was revoked before sending.
            await teacher.press(f"Bericht aan gezin #{number}")
            revoke(settled.database_url, TEACHER)
            await teacher.send("Dit mag niet meer aankomen.")
            await asyncio.sleep(1.0)
            assert len(api.messages(FAMILY)) == seen_by_family
            press = await teacher.press(f"Bericht aan gezin #{number}")
            assert "niet (meer) te vinden" in (await teacher.answer_to(press) or "")
            assert messages_of(settled.database_url) == 0

    asyncio.run(scenario())


def test_a_family_that_blocked_the_bot_is_reported_and_delete_removes_the_conversation(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            teacher = Parent(api, settled, TEACHER)
            await joined(teacher, 0, "juf Anja")
            family, number = await turkish_family(api, settled)
            await teacher.send("/responses")
            await teacher.press(f"Bericht aan gezin #{number}")
            # No Turkish package here: delivered as written, with a note, and staff told.
            await teacher.send("Wij bellen u morgen.")
            letter = await until(api, FAMILY, "Wij bellen u morgen.")
            assert "Hollandaca" in (letter.text or "")
            assert await until(api, TEACHER, "niet vertaald: tolk nodig")
            # A voice note in the conversation reaches the school as it is, without sender.
            from tests.fakes import voice

            await family.push(voice(family.user))
            copied = api.calls_to("copyMessage")
            assert [c.params["chat_id"] for c in copied] == [TEACHER]
            api.block(FAMILY)
            await teacher.press(f"Bericht aan gezin #{number}")
            await teacher.send("Bent u er nog?")
            assert await until(api, TEACHER, f"gezin #{number} heeft de bot geblokkeerd")
            api.unblock(FAMILY)
            await family.send("/status")
            # What is stored, then the offer to change the answers.
            stored, _offer = family.texts()[-2:]
            assert "De Regenboog, Utrecht ile mesajlar: saklanıyor" in stored
            await family.send("/delete")
            await family.press("Evet")
            assert messages_of(settled.database_url) == 0

    asyncio.run(scenario())


def revoke(database_url: str, user_id: int) -> None:
    engine = make_engine(database_url)
    try:
        with session_factory(engine).begin() as db:
            db.execute(
                update(Staff).where(Staff.telegram_user_id == user_id).values(revoked_at=utcnow())
            )
    finally:
        engine.dispose()


def messages_of(database_url: str) -> int:
    """Return how many conversation messages are stored (for the family under test)."""
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            counted = select(func.count()).select_from(ConversationMessage)
            return int(db.scalar(counted) or 0)
    finally:
        engine.dispose()
