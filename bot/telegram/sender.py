"""Send outbox messages through Telegram's Bot API, and say how each attempt went."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from bot.messages.replies import Reply
from bot.outbox.outcomes import BLOCKED, SENT, Outcome, Refused, Sent, Trouble, WaitFor
from bot.storage.queue import Queued
from bot.voice.speech import SpeechUnavailableError
from bot.voice.voices import Audio, Voices

log = logging.getLogger(__name__)

# Telegram says these when the thing is already as we want it; nothing to retry.
HARMLESS = ("message is not modified", "query is too old", "query id is invalid")
# A played voice note that cannot be deleted (gone already, or older than Telegram's 48
# hours) stays with the school, as the digest does: nothing to retry.
UNDELETABLE = ("message to delete not found", "message can't be deleted")

# Where a family's voice note was played: (the families it is of, chat, message id).
Played = Callable[[tuple[int, ...], int, int], Awaitable[None]]


def retry_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asked us to wait."""
    with warnings.catch_warnings():
        # PTB 22 is moving retry_after from int to timedelta and warns on reading it.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def quiet_calls_by_name() -> None:
    """Silence PTB's advice to use its typed methods, for the two we call by name only."""
    # Process-wide, as warnings filters are (adding it again replaces the one before),
    # and narrowed by its text to those two methods. A catch_warnings() around each call
    # would be per-message work, and not even right: it swaps the module's filters, and
    # the lanes' calls interleave at every await.
    warnings.filterwarnings(
        "ignore",
        message=(
            r"Please use "
            r"'Bot\.(sendMessage|editMessageReplyMarkup|sendVoice|deleteMessage|copyMessage)'"
        ),
        category=PTBUserWarning,
    )


class Sender:
    """Telegram's side of the outbox: one attempt per call, its answer as an Outcome."""

    def __init__(
        self, bot: Bot, voices: Voices | None = None, played: Played | None = None
    ) -> None:
        self._bot = bot
        self._voices = voices
        self._played = played
        self._speech_problems: set[str] = set()
        quiet_calls_by_name()

    async def send(self, item: Queued) -> Outcome:
        """Try once to deliver a message; map Telegram's answer to what the outbox records."""
        try:
            result = await self._call(item)
        except RetryAfter as error:
            return WaitFor(retry_seconds(error))
        except SpeechUnavailableError as error:
            # Once per process and reason: every voice note would be refused alike.
            if str(error) not in self._speech_problems:
                self._speech_problems.add(str(error))
                log.warning("voice notes not sent: %s", error)
            return Refused(type(error).__name__)
        except Forbidden:
            return BLOCKED
        except BadRequest as error:
            if any(text in error.message.lower() for text in HARMLESS):
                return SENT
            if item.reply.action == "delete" and any(
                text in error.message.lower() for text in UNDELETABLE
            ):
                return SENT
            # Only the class: Telegram's description may quote the text it refused.
            return Refused(type(error).__name__)
        except (NetworkError, TelegramError) as error:
            if isinstance(error.__cause__, ValueError):
                # The request could not even be written (a text with a lone surrogate
                # cannot be encoded): it never will be, so the lane moves on.
                return Refused(type(error.__cause__).__name__)
            return Trouble(type(error).__name__)
        if item.reply.traced and isinstance(result, dict):
            message_id = result.get("message_id")
            return Sent(message_id if type(message_id) is int else None)
        return SENT

    async def answer(self, popup: Reply) -> None:
        """Answer a button press now; it is never retried, since Telegram forgets it soon."""
        try:
            await self._bot.answer_callback_query(popup.callback_id or "", text=popup.text or None)
        except TelegramError as error:
            log.info("button press not answered: %s", type(error).__name__)

    async def _call(self, item: Queued) -> object:
        # Bot.send_message builds keyboard objects and parses Telegram's answer into a
        # Message that nobody reads: a third of the cost of sending (bench/bot.py).
        # do_api_request goes the same way, through the rate limiter and the transport,
        # and hands back the answer unparsed.
        reply = item.reply
        if reply.action == "answer_callback":
            await self._bot.answer_callback_query(reply.callback_id or "", text=reply.text or None)
            return None
        arguments: dict[str, Any] = {"chat_id": item.chat_id}
        if reply.action == "voice":
            await self._voice(arguments, reply)
            return None
        if reply.action == "delete":
            arguments["message_id"] = reply.message_id
            await self._bot.do_api_request("deleteMessage", api_kwargs=arguments)
            return None
        if reply.action == "copy":
            # copyMessage, not forwardMessage: a copy does not show whose message it was.
            arguments.update(from_chat_id=reply.from_chat_id, message_id=reply.message_id)
            return await self._bot.do_api_request("copyMessage", api_kwargs=arguments)
        if reply.action == "edit_markup":
            endpoint = "editMessageReplyMarkup"
            arguments["message_id"] = reply.message_id
        else:
            endpoint = "sendMessage"
            arguments["text"] = reply.text
        markup = _markup(reply, contact=endpoint == "sendMessage")
        if markup is not None:
            arguments["reply_markup"] = markup
        return await self._bot.do_api_request(endpoint, api_kwargs=arguments)

    async def _voice(self, arguments: dict[str, Any], reply: Reply) -> None:
        """Send a voice note: by the file id Telegram has, else uploaded and its id kept."""
        if reply.file_id is not None:
            answer = await self._bot.do_api_request(
                "sendVoice", api_kwargs={**arguments, "voice": reply.file_id}
            )
            await self._remember_played(reply, arguments["chat_id"], answer)
            return
        if self._voices is None or reply.language is None:
            raise SpeechUnavailableError("voice notes are not set up in this process")
        audio = await self._voices.audio(reply.text, reply.language, reply.entry)
        if audio.file_id is not None:
            try:
                await self._upload(arguments, audio, audio.file_id)
                return
            except BadRequest as error:
                if "file" not in error.message.lower():
                    raise
                # An id of another bot (a changed token): upload the audio again.
                self._voices.forget(audio.key)
                audio = await self._voices.audio(reply.text, reply.language, reply.entry)
        await self._upload(arguments, audio, InputFile(audio.data, filename="voice.ogg"))

    async def _upload(self, arguments: dict[str, Any], audio: Audio, voice: object) -> None:
        answer = await self._bot.do_api_request(
            "sendVoice", api_kwargs={**arguments, "voice": voice}
        )
        file_id = _voice_file_id(answer)
        if self._voices is not None and file_id is not None and voice != file_id:
            self._voices.remember(audio.key, file_id)

    async def _remember_played(self, reply: Reply, chat_id: int, answer: object) -> None:
        """Record where a family's voice note now is, so erasing the family can delete it."""
        message_id = answer.get("message_id") if isinstance(answer, dict) else None
        if self._played is None or not reply.carrying or not isinstance(message_id, int):
            return
        try:
            await self._played(reply.carrying, chat_id, message_id)
        except Exception as error:
            # It was sent: only its deletion on erasure is lost, which the log says.
            log.error("played voice note not recorded: %s", type(error).__name__)


def _voice_file_id(answer: object) -> str | None:
    """Return the file id in Telegram's answer to sendVoice, if it has one."""
    voice = answer.get("voice") if isinstance(answer, dict) else None
    file_id = voice.get("file_id") if isinstance(voice, dict) else None
    return file_id if isinstance(file_id, str) and file_id else None


def _markup(reply: Reply, *, contact: bool) -> dict[str, Any] | None:
    """Return the reply's keyboard as the Bot API's JSON (None: no keyboard, or remove it)."""
    if reply.buttons:
        rows = [[{"text": b.text, "callback_data": b.data} for b in row] for row in reply.buttons]
        return {"inline_keyboard": rows}
    if contact and reply.ask_contact:
        button = {"text": reply.ask_contact, "request_contact": True}
        return {"keyboard": [[button]], "resize_keyboard": True, "one_time_keyboard": True}
    return None
