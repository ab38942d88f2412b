"""The bot on Telegram: updates in to our reception, python-telegram-bot's Bot for what goes out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Protocol

from telegram import BotCommand as TelegramCommand
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder
from telegram.request import BaseRequest

from bot.i18n.localizer import Localizers
from bot.messages.incoming import Incoming
from bot.messages.replies import Reply
from bot.parents import texts as msg
from bot.reception.handled import Handled
from bot.storage.errors import is_transient
from bot.storage.queue import Queued
from bot.storage.work import DatabaseWork
from bot.telegram.request import AiohttpRequest

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]

# A polled update waits while the database is busy or gone: Telegram keeps it until we
# confirm it, so it is never lost, only late. Waits grow to half a minute.
FIRST_RETRY_SECONDS = 0.5
LONGEST_RETRY_SECONDS = 30.0
MENU = (
    ("start", msg.COMMAND_START),
    ("language", msg.COMMAND_LANGUAGE),
    ("back", msg.COMMAND_BACK),
    ("restart", msg.COMMAND_RESTART),
    ("help", msg.COMMAND_HELP),
    ("status", msg.COMMAND_STATUS),
    ("stop", msg.COMMAND_STOP),
    ("voice", msg.COMMAND_VOICE),
    ("delete", msg.COMMAND_DELETE),
)


class Sending(Protocol):
    """What the handler hands replies to: the Sender, or a test's stand-in."""

    def submit(self, queued: Iterable[Queued]) -> None:
        """Hand over replies that were just committed."""
        ...

    async def answer(self, popup: Reply) -> None:
        """Answer a button press now."""
        ...


class UpdateHandler:
    """Runs the reception on an Incoming off the event loop, and sends what it queued."""

    def __init__(self, database: DatabaseWork[Incoming, Handled], sender: Sending) -> None:
        # Engine and database work run in threads: the event loop stays free for I/O.
        self._database = database
        self._sender = sender

    async def __call__(self, arrived: Incoming) -> Reply | None:
        """Apply one update; return the button press's answer, for the caller to send.

        Raises when the update could not be stored, so a webhook answers 500.
        """
        handled = await self._database.update(arrived)
        self._sender.submit(handled.queued)
        return handled.popup

    async def settle(self, arrived: Incoming, stopping: asyncio.Event) -> bool:
        """Apply a polled update, trying again while the database is busy.

        Return whether it is settled (stored, or dropped for good); False when `stopping`
        was set first, so that it stays unconfirmed and Telegram delivers it again.
        """
        delay = FIRST_RETRY_SECONDS
        while True:
            try:
                popup = await self(arrived)
            except Exception as error:
                if not is_transient(error):
                    log.warning("update %s dropped: %s", arrived.update_id, type(error).__name__)
                    return True
                log.warning(
                    "update %s not stored (%s); trying again in %.1fs",
                    arrived.update_id,
                    type(error).__name__,
                    delay,
                )
                if await _set_within(stopping, delay):
                    return False
                delay = min(delay * 2, LONGEST_RETRY_SECONDS)
                continue
            if popup is not None:
                await self.answer(popup.callback_id, popup.text)
            return True

    async def answer(self, callback_id: str | None, text: str = "") -> None:
        """Answer a button press at once, so the spinner on the parent's button stops."""
        if callback_id is not None:
            await self._sender.answer(Reply("answer_callback", text=text, callback_id=callback_id))


async def _set_within(event: asyncio.Event, seconds: float) -> bool:
    """Wait up to `seconds` for the event; tell whether it was set."""
    try:
        await asyncio.wait_for(event.wait(), seconds)
    except TimeoutError:
        return False
    return True


def build_application(
    token: str,
    base_url: str,
    *,
    rate_limit: float,
    transport: BaseRequest | None = None,
    post_init: Callable[[App], Coroutine[Any, Any, None]] | None = None,
    post_shutdown: Callable[[App], Coroutine[Any, Any, None]] | None = None,
) -> App:
    """Build the PTB application: the bot, rate limited; updates come in through us.

    Polling is ours (bot/telegram/polling.py) and the webhook is ours, so PTB has no
    updater and no handlers: it would confirm a polled update before it is stored, and
    stop polling for good at one update it cannot parse. `transport` replaces our aiohttp
    requests to the Bot API (a test's fake Telegram) for every call, long polls included.
    """
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .rate_limiter(AIORateLimiter(overall_max_rate=rate_limit, max_retries=0))
        .request(transport or AiohttpRequest())
        # Long polls wait up to their own timeout for Telegram to answer.
        .get_updates_request(transport or AiohttpRequest(connections=1, read_timeout=30.0))
        .updater(None)
        # The timed work is ours (bot/background/jobs.py): PTB's own scheduler would only idle.
        .job_queue(None)
    )
    if post_init is not None:
        builder = builder.post_init(post_init)
    if post_shutdown is not None:
        builder = builder.post_shutdown(post_shutdown)
    return builder.build()


async def set_command_menus(application: App, localizers: Localizers) -> None:
    """Set the command menu in every language, and a default for all others (English)."""
    for code in localizers.codes:
        texts = localizers.get(code)
        commands = [TelegramCommand(name, texts.gettext(text)) for name, text in MENU]
        await application.bot.set_my_commands(commands, language_code=code)
    english = localizers.get("en")
    await application.bot.set_my_commands(
        [TelegramCommand(name, english.gettext(text)) for name, text in MENU]
    )
