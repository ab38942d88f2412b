"""The fake Bot API, driven by the real python-telegram-bot client and Application."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import io
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes import (
    FakeBotAPI,
    MessageVersion,
    callback,
    command,
    contact,
    edited_message,
    location,
    photo,
    sticker,
    text_message,
    user,
    voice,
)

T = TypeVar("T")

PARENT = user(7_100_000_001, "Fatima", "ar", username="fatima_m")
CHAT = PARENT["id"]
OTHER_CHAT = 7_100_000_002
LAPTOP = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Ja", callback_data="laptop:ja")],
        [InlineKeyboardButton("Nee", callback_data="laptop:nee")],
    ]
)


@pytest.fixture(autouse=True)
def _durations_as_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns whenever it builds an int-valued duration (RetryAfter included) unless
    # opted in; under filterwarnings=error that warning would replace the RetryAfter itself.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as fake:
        yield fake


def with_bot(api: FakeBotAPI, scenario: Callable[[Bot], Awaitable[T]]) -> T:
    """Run `scenario` with an initialised PTB Bot that talks to the fake."""

    async def run() -> T:
        async with Bot(api.token, base_url=api.base_url) as bot:
            return await scenario(bot)

    return asyncio.run(run())


def free_port() -> int:
    """Return a port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The basics.


def test_get_me_answers_the_bot_the_fake_plays(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        me = await bot.get_me()
        assert (me.username, me.is_bot, me.id) == ("ouderbrug_test_bot", True, 123456789)

    with_bot(api, scenario)
    assert [(c.method, c.status) for c in api.calls] == [("getMe", 200), ("getMe", 200)]


def test_an_inline_keyboard_round_trips(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "Heeft uw kind een laptop?", reply_markup=LAPTOP)
        assert sent.reply_markup == LAPTOP
        assert sent.from_user is not None
        assert sent.from_user.id == bot.id
        assert sent.chat.type == "private"

    with_bot(api, scenario)
    stored = api.last_message(CHAT)
    assert stored.text == "Heeft uw kind een laptop?"
    assert stored.callback_data == ["laptop:ja", "laptop:nee"]
    assert api.calls_to("sendMessage")[0].params["reply_markup"] == LAPTOP.to_dict()


def test_a_reply_keyboard_is_kept_for_the_test_but_not_echoed(api: FakeBotAPI) -> None:
    share = ReplyKeyboardMarkup([[KeyboardButton("Deel mijn nummer", request_contact=True)]])

    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "Mag de school u bellen?", reply_markup=share)
        assert sent.reply_markup is None  # Telegram echoes inline keyboards only

    with_bot(api, scenario)
    assert api.last_message(CHAT).buttons == [{"text": "Deel mijn nummer", "request_contact": True}]


def test_message_ids_grow_per_chat_and_are_shared_with_the_parent(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> list[int]:
        first = await bot.send_message(CHAT, "Welkom")
        api.push_update(text_message(PARENT, "Hallo"))
        second = await bot.send_message(CHAT, "Kies een taal")
        elsewhere = await bot.send_message(OTHER_CHAT, "Welkom")
        return [first.message_id, second.message_id, elsewhere.message_id]

    assert with_bot(api, scenario) == [1, 3, 1]


def test_html_is_read_as_telegram_reads_it(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(
            CHAT, "👋 <b>Welkom</b> bij &lt;school&gt;", parse_mode="HTML"
        )
        assert sent.text == "👋 Welkom bij <school>"
        # PTB reads offsets in UTF-16 code units, where the emoji counts two.
        assert list(sent.parse_entities().values()) == ["Welkom"]
        assert sent.entities[0].type == "bold"
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(CHAT, "Voor kinderen <5 jaar", parse_mode="HTML")

    with_bot(api, scenario)


def test_callback_data_longer_than_64_bytes_is_refused(api: FakeBotAPI) -> None:
    # 33 Cyrillic letters are 66 bytes: the limit bites before the characters run out.
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("Так", callback_data="ж" * 33)]])

    async def scenario(bot: Bot) -> None:
        with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
            await bot.send_message(CHAT, "Питання", reply_markup=too_long)

    with_bot(api, scenario)
    assert api.messages(CHAT) == []


# Edits.


def test_edit_message_text_changes_the_stored_message(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "Heeft uw kind een laptop?", reply_markup=LAPTOP)
        edited = await bot.edit_message_text(
            "Heeft uw kind een laptop of tablet?", CHAT, sent.message_id, reply_markup=LAPTOP
        )
        assert not isinstance(edited, bool)
        assert edited.text == "Heeft uw kind een laptop of tablet?"
        assert edited.edit_date is not None
        assert edited.reply_markup == LAPTOP

    with_bot(api, scenario)
    [stored] = api.messages(CHAT)
    assert stored.text == "Heeft uw kind een laptop of tablet?"
    assert stored.history == (MessageVersion("Heeft uw kind een laptop?", LAPTOP.to_dict()),)


def test_editing_to_the_same_content_is_not_modified(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "Dank u", reply_markup=LAPTOP)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text("Dank u", CHAT, sent.message_id, reply_markup=LAPTOP)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=LAPTOP)

    with_bot(api, scenario)
    assert api.last_message(CHAT).history == ()


def test_an_edit_without_reply_markup_takes_the_keyboard_away(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "Kies", reply_markup=LAPTOP)
        edited = await bot.edit_message_text("Genoteerd", CHAT, sent.message_id)
        assert not isinstance(edited, bool)
        assert edited.reply_markup is None
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("Genoteerd", CHAT, sent.message_id + 1)

    with_bot(api, scenario)
    assert api.last_message(CHAT).reply_markup is None
    assert api.last_message(CHAT).history[0].reply_markup == LAPTOP.to_dict()


def test_a_deleted_message_is_gone(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "Even geduld…")
        assert await bot.delete_message(CHAT, sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
            await bot.delete_message(CHAT, sent.message_id)

    with_bot(api, scenario)
    assert api.messages(CHAT) == []


# Updates.


def test_a_long_poll_returns_an_update_pushed_while_it_waits(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await api.async_wait_for(lambda: api.waiting_polls, what="the bot to long-poll")
        update_id = api.push_update(text_message(PARENT, "Hallo"))
        [update] = await poll
        assert update.update_id == update_id
        assert update.message is not None
        assert update.message.text == "Hallo"
        assert update.effective_user is not None
        assert update.effective_user.language_code == "ar"
        # Unconfirmed, it comes again; an offset past it confirms it.
        assert [u.update_id for u in await bot.get_updates()] == [update_id]
        assert await bot.get_updates(offset=update_id + 1) == ()

    with_bot(api, scenario)
    assert api.pending_update_ids() == []


def test_offset_confirms_earlier_updates_and_limit_caps_the_batch(api: FakeBotAPI) -> None:
    ids = [api.push_update(text_message(PARENT, word)) for word in ("een", "twee", "drie")]

    async def scenario(bot: Bot) -> None:
        assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
        assert [u.update_id for u in await bot.get_updates(offset=ids[1] + 1)] == ids[2:]

    with_bot(api, scenario)
    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    assert api.pending_update_ids() == ids[2:]


def test_fetched_updates_are_told_apart_until_confirmed(api: FakeBotAPI) -> None:
    ids = [api.push_update(text_message(PARENT, word)) for word in ("een", "twee")]

    async def scenario(bot: Bot) -> None:
        await bot.get_updates(limit=1)
        assert api.fetched_update_ids() == ids[:1]
        await bot.get_updates(offset=ids[0] + 1, limit=1)
        assert api.fetched_update_ids() == ids[1:]

    with_bot(api, scenario)
    assert api.pending_update_ids() == ids[1:]


def test_a_raw_update_is_queued_as_given_however_malformed(api: FakeBotAPI) -> None:
    first = api.push_update(text_message(PARENT, "een"))
    raw = api.push_raw_update({"message": "no message object"})
    assert raw == first + 1
    assert api.pending_update_ids() == [first, raw]

    async def scenario(bot: Bot) -> list[object]:
        answer = await bot.do_api_request("getUpdates", api_kwargs={"offset": raw})
        assert isinstance(answer, list)
        return answer

    assert with_bot(api, scenario) == [{"update_id": raw, "message": "no message object"}]


def test_pushing_an_update_again_is_telegram_redelivering_it(api: FakeBotAPI) -> None:
    update = text_message(PARENT, "Ja")
    first_id = api.push_update(update)

    async def scenario(bot: Bot) -> tuple[Update, Update]:
        [first] = await bot.get_updates()
        await bot.get_updates(offset=first_id + 1)  # confirmed
        assert api.push_update(update) == first_id
        [again] = await bot.get_updates(offset=first_id + 1)
        return first, again

    first, again = with_bot(api, scenario)
    assert again.update_id == first.update_id
    assert again.message is not None
    assert first.message is not None
    assert again.message.message_id == first.message.message_id


def test_a_second_poller_terminates_the_first_with_a_conflict(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        first = asyncio.create_task(bot.get_updates(timeout=30))
        await api.async_wait_for(lambda: api.waiting_polls == 1)
        async with Bot(api.token, base_url=api.base_url) as second_instance:
            second = asyncio.create_task(second_instance.get_updates(timeout=30))
            with pytest.raises(Conflict, match="terminated by other getUpdates request"):
                await first
            await api.async_wait_for(lambda: api.waiting_polls == 1)
            api.push_update(text_message(PARENT, "Hallo"))
            assert len(await second) == 1

    with_bot(api, scenario)


def test_the_builders_make_updates_ptb_reads(api: FakeBotAPI) -> None:
    typed = text_message(PARENT, "Ik wil /stop")
    pushed = [
        command(PARENT, "/start", payload="16AH00"),
        typed,
        contact(PARENT, "+31612345678"),
        contact(PARENT, "31687654321", own=False, first_name="Buurvrouw"),
        location(PARENT),
        sticker(PARENT),
        photo(PARENT, caption="huiswerk"),
        voice(PARENT, duration=4),
    ]
    for update in pushed:
        api.push_update(update)
    api.push_update(edited_message(typed["message"], "Ik wil stoppen"))

    async def scenario(bot: Bot) -> tuple[Update, ...]:
        return await bot.get_updates()

    updates = with_bot(api, scenario)
    start, text, own, other, place, sticker_, picture, spoken = (u.message for u in updates[:8])
    assert start is not None
    assert start.text == "/start 16AH00"
    assert start.parse_entities() == {start.entities[0]: "/start"}
    assert text is not None
    assert text.parse_entities() == {text.entities[0]: "/stop"}
    assert own is not None
    assert own.contact is not None
    assert own.contact.user_id == CHAT
    assert other is not None
    assert other.contact is not None
    assert other.contact.user_id is None
    assert place is not None
    assert place.location is not None
    assert place.location.latitude == pytest.approx(52.0907)
    assert sticker_ is not None
    assert sticker_.sticker is not None
    assert sticker_.sticker.emoji
    assert picture is not None
    assert picture.caption == "huiswerk"
    assert picture.photo[-1].width == 1280
    assert spoken is not None
    assert spoken.voice is not None
    assert spoken.voice.duration == dtm.timedelta(seconds=4)
    edit = updates[8].edited_message
    assert edit is not None
    assert edit.text == "Ik wil stoppen"
    assert edit.edit_date is not None
    assert edit.message_id == text.message_id
    assert [m.message_id for m in (start, text, own, other)] == [1, 2, 3, 4]
    assert {u.effective_user.language_code for u in updates if u.effective_user} == {"ar"}


def test_a_button_press_carries_the_message_as_it_stands(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        sent = await bot.send_message(CHAT, "Kies", reply_markup=LAPTOP)
        shown = api.last_message(CHAT)
        only_yes = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="laptop:ja")]])
        await bot.edit_message_text("Kies nog eens", CHAT, sent.message_id, reply_markup=only_yes)
        with pytest.raises(ValueError, match="no button with callback_data 'laptop:nee' now"):
            api.push_update(callback(PARENT, shown, "laptop:nee"))
        api.push_update(callback(PARENT, shown, "laptop:ja"))
        [update] = await bot.get_updates()
        query = update.callback_query
        assert query is not None
        assert query.data == "laptop:ja"
        assert query.message is not None
        assert query.message.message_id == sent.message_id
        assert getattr(query.message, "text", None) == "Kies nog eens"
        assert await query.answer("Dank u")
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await query.answer()

    with_bot(api, scenario)
    with pytest.raises(ValueError, match="no button"):
        callback(PARENT, api.last_message(CHAT), "laptop:misschien")


# Commands.


def test_commands_are_stored_per_language_and_scope(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("taal", "Kies taal")])
        await bot.set_my_commands(
            [BotCommand("start", "Start"), BotCommand("language", "Choose a language")],
            language_code="en",
        )
        await bot.set_my_commands([("stop", "Stop")], scope=BotCommandScopeChat(CHAT))
        english = await bot.get_my_commands(language_code="en")
        assert [c.command for c in english] == ["start", "language"]
        with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
            await bot.set_my_commands([("Start", "Hoofdletters mogen niet")])
        assert await bot.delete_my_commands(language_code="en")

    with_bot(api, scenario)
    assert api.commands() == [
        {"command": "start", "description": "Begin"},
        {"command": "taal", "description": "Kies taal"},
    ]
    assert api.commands("en") == []
    assert api.commands("nl") == []  # Telegram does not fall back to the default list
    assert api.commands(scope={"chat_id": CHAT, "type": "chat"}) == [
        {"command": "stop", "description": "Stop"}
    ]


# Files.


def test_send_photo_keeps_the_uploaded_bytes(api: FakeBotAPI) -> None:
    # Line breaks and a boundary-like line inside, to prove the multipart parse is exact.
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\r\n--boundary\r\n\r\n"

    async def scenario(bot: Bot) -> None:
        upload = InputFile(data, filename="groep 5 – rooster.png")
        sent = await bot.send_photo(CHAT, upload, caption="Rooster")
        assert sent.caption == "Rooster"
        assert sent.photo[-1].file_size == len(data)
        await bot.send_photo(CHAT, sent.photo[-1].file_id)  # a file_id sends the same file
        document = await bot.send_document(
            CHAT,
            io.BytesIO(b"vraag;antwoord\r\nlaptop;nee\r\n"),
            filename="antwoorden.csv",
            thumbnail=b"\xff\xd8thumbnail",  # PTB sends this one as attach://<part>
        )
        assert document.document is not None
        assert document.document.file_name == "antwoorden.csv"

    with_bot(api, scenario)
    photo_message, again, document = api.messages(CHAT)
    assert photo_message.file is not None
    assert photo_message.file.data == data
    assert photo_message.file.filename == "groep 5 – rooster.png"
    assert photo_message.file.content_type == "image/png"
    assert photo_message.text == "Rooster"
    assert again.file == photo_message.file
    assert document.file is not None
    assert document.file.data == b"vraag;antwoord\r\nlaptop;nee\r\n"
    assert api.calls_to("sendPhoto")[0].params["photo"] == photo_message.file
    assert api.calls_to("sendDocument")[0].params["thumbnail"].data == b"\xff\xd8thumbnail"


# Failures.


def test_a_429_raises_retry_after_with_its_seconds(api: FakeBotAPI) -> None:
    api.fail("sendMessage", 429, retry_after=7)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CHAT, "Hallo")
        assert caught.value.retry_after == dtm.timedelta(seconds=7)
        await bot.send_message(CHAT, "Hallo")  # only the next call failed

    with_bot(api, scenario)
    assert [c.status for c in api.calls_to("sendMessage")] == [429, 200]


def test_a_403_raises_forbidden_and_a_blocked_chat_stays_forbidden(api: FakeBotAPI) -> None:
    api.fail("sendMessage", 403, "Forbidden: user is deactivated")

    async def scenario(bot: Bot) -> None:
        with pytest.raises(Forbidden, match="user is deactivated"):
            await bot.send_message(CHAT, "Hallo")
        api.block(CHAT)
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(CHAT, "Hallo")
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_chat_action(CHAT, "typing")
        await bot.send_message(OTHER_CHAT, "Hallo")
        api.unblock(CHAT)
        await bot.send_message(CHAT, "Welkom terug")

    with_bot(api, scenario)
    assert [m.text for m in api.messages(CHAT)] == ["Welkom terug"]


@pytest.mark.parametrize(
    ("status", "description"), [(500, "Internal Server Error"), (502, "Bad Gateway")]
)
def test_server_errors_raise_network_error(api: FakeBotAPI, status: int, description: str) -> None:
    api.fail("sendMessage", status, times=2)

    async def scenario(bot: Bot) -> None:
        for _ in range(2):
            with pytest.raises(NetworkError, match=description) as caught:
                await bot.send_message(CHAT, "Hallo")
            # PTB maps 5xx to NetworkError itself, not to one of its subclasses.
            assert type(caught.value) is NetworkError
        await bot.send_message(CHAT, "Hallo")

    with_bot(api, scenario)
    assert [c.status for c in api.calls_to("sendMessage")] == [status, status, 200]


def test_a_wrong_token_is_unauthorized(api: FakeBotAPI) -> None:
    async def scenario() -> None:
        with pytest.raises(InvalidToken, match="rejected by the server"):
            async with Bot("987654321:WRONG-token", base_url=api.base_url):
                pass

    asyncio.run(scenario())
    assert [(c.method, c.status) for c in api.calls] == [("getMe", 401)]


def test_an_unknown_method_is_not_found(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": CHAT})

    with_bot(api, scenario)
    assert api.calls_to("sendTelepathy")[0].status == 404


def test_a_slow_network_times_the_client_out(api: FakeBotAPI) -> None:
    # Far longer than the read timeout; stopping the fake cuts the delay short.
    api.set_delay(60, "sendMessage")

    async def scenario(bot: Bot) -> None:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "Hallo", read_timeout=0.5)

    with_bot(api, scenario)


def test_waiting_in_vain_says_what_happened(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        await bot.send_message(CHAT, "Welkom")

    with_bot(api, scenario)
    with pytest.raises(AssertionError, match="containing 'Tot ziens'") as caught:
        api.wait_for_message(CHAT, contains="Tot ziens", timeout=0.2)
    assert "'Welkom'" in str(caught.value)
    assert "sendMessage" in str(caught.value)


# A real Application, polling and by webhook.


async def greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Welcome a parent who came by a school's link and ask the first question."""
    assert update.effective_message is not None
    assert context.args
    await update.effective_message.reply_text(
        f"Welkom, school {context.args[0]}. Heeft uw kind een laptop?", reply_markup=LAPTOP
    )


async def record_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge the button and replace the question with the answer."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"Genoteerd: {query.data}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say back what the parent typed."""
    assert update.effective_message is not None
    assert update.effective_message.text
    await update.effective_message.reply_text(update.effective_message.text)


def test_an_application_polls_answers_and_confirms_on_stop(api: FakeBotAPI) -> None:
    async def scenario() -> None:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        app.add_handler(CommandHandler("start", greet))
        app.add_handler(CallbackQueryHandler(record_choice))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling()
            api.push_update(command(PARENT, "/start", payload="16AH00"))
            question = await api.async_wait_for_message(CHAT, contains="school 16AH00")
            api.push_update(callback(PARENT, question, "laptop:nee"))
            await api.async_wait_for_message(CHAT, contains="Genoteerd: laptop:nee")
            await app.updater.stop()
            await app.stop()

    asyncio.run(scenario())
    [answered] = api.messages(CHAT)
    assert answered.reply_markup is None
    assert answered.history[0].text == "Welkom, school 16AH00. Heeft uw kind een laptop?"
    assert [c.status for c in api.calls_to("answerCallbackQuery")] == [200]
    assert api.pending_update_ids() == []  # PTB confirmed what it fetched before stopping


def test_an_application_takes_updates_by_webhook(api: FakeBotAPI) -> None:
    port = free_port()

    async def scenario() -> None:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        app.add_handler(MessageHandler(filters.TEXT, echo))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_webhook(
                listen="127.0.0.1",
                port=port,
                url_path="telegram",
                secret_token="s3cret-Token",
                webhook_url=f"http://127.0.0.1:{port}/telegram",
            )
            hook = api.webhook
            assert hook["url"] == f"http://127.0.0.1:{port}/telegram"
            wrong = await api.async_deliver_webhook(hook["url"], text_message(PARENT, "Hoi"), "x")
            assert wrong == 403
            status = await api.async_deliver_webhook(
                hook["url"], text_message(PARENT, "Hallo"), hook["secret_token"]
            )
            assert status == 200
            await api.async_wait_for_message(CHAT, contains="Hallo")
            await app.updater.stop()
            await app.stop()

    asyncio.run(scenario())
    assert [m.text for m in api.messages(CHAT)] == ["Hallo"]


def test_get_updates_conflicts_with_an_active_webhook(api: FakeBotAPI) -> None:
    async def scenario(bot: Bot) -> None:
        await bot.set_webhook("https://ouderbrug.example/telegram", secret_token="s3cret")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        info = await bot.get_webhook_info()
        assert info.url == "https://ouderbrug.example/telegram"
        await bot.delete_webhook()
        assert await bot.get_updates() == ()

    with_bot(api, scenario)


# Cleaning up.


def test_stopping_leaves_no_thread_behind() -> None:
    before = set(threading.enumerate())
    with FakeBotAPI() as api:

        async def scenario(bot: Bot) -> None:
            poll = asyncio.create_task(bot.get_updates(timeout=30))
            await api.async_wait_for(lambda: api.waiting_polls)
            poll.cancel()  # the bot hangs up, as PTB does on stop
            with contextlib.suppress(asyncio.CancelledError):
                await poll

        with_bot(api, scenario)
        api.wait_for(lambda: api.waiting_polls == 0, what="the fake to notice the hang-up")
        assert [c.method for c in api.calls] == ["getMe"]  # nobody heard the abandoned poll
    assert set(threading.enumerate()) <= before


def test_send_voice_plays_ogg_opus_uploads_and_file_ids_and_files_anything_else(
    api: FakeBotAPI,
) -> None:
    # The first page of an OGG/Opus stream: "OggS", a one-segment table, then "OpusHead".
    opus = b"OggS\x00\x02" + bytes(20) + b"\x01\x13" + b"OpusHead" + bytes(11)

    async def scenario(bot: Bot) -> None:
        note = await bot.send_voice(CHAT, InputFile(opus, filename="voice.ogg"))
        assert note.voice is not None
        again = await bot.send_voice(CHAT, note.voice.file_id)  # by id, uploaded once
        assert again.voice is not None
        assert again.voice.file_id == note.voice.file_id
        mp3 = await bot.send_voice(CHAT, InputFile(b"ID3\x04not opus", filename="a.mp3"))
        assert mp3.voice is None  # Telegram shows it as a file, not a voice note
        assert mp3.document is not None
        with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
            await bot.send_voice(CHAT, "AwACnotAFileTheBotCanSend")

    with_bot(api, scenario)
    first, second, _ = api.messages(CHAT)
    assert first.file is not None
    assert first.file.data == opus
    assert second.payload["voice"]["file_id"] == first.payload["voice"]["file_id"]
