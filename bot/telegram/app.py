"""The bot on Telegram: python-telegram-bot carries updates in; our Desk decides what they mean."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import BotCommand as TelegramCommand
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.i18n.languages import SUPPORTED
from bot.i18n.localizer import Localizers
from bot.service import texts as msg
from bot.service.desk import Handled
from bot.service.incoming import Incoming
from bot.service.replies import Reply
from bot.telegram.dbwork import DatabaseWork
from bot.telegram.ordering import OrderedUpdateProcessor
from bot.telegram.request import AiohttpRequest
from bot.telegram.sender import Sender
from bot.telegram.updates import incoming

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]

# Telegram forgets a polled update once it is fetched, so a failing database must not
# cost it: keep retrying, ever more slowly, for a quarter of an hour before giving up.
RETRIES = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0) + (30.0,) * 29
MENU = (
    ("start", msg.COMMAND_START),
    ("language", msg.COMMAND_LANGUAGE),
    ("back", msg.COMMAND_BACK),
    ("restart", msg.COMMAND_RESTART),
    ("help", msg.COMMAND_HELP),
    ("status", msg.COMMAND_STATUS),
    ("stop", msg.COMMAND_STOP),
    ("delete", msg.COMMAND_DELETE),
)


class UpdateHandler:
    """Turns a Telegram update into an Incoming, runs the Desk off the event loop, sends."""

    def __init__(self, database: DatabaseWork[Incoming, Handled]) -> None:
        # Engine and database work run in threads: the event loop stays free for I/O.
        self._database = database
        self.sender: Sender | None = None

    async def __call__(self, arrived: Incoming) -> Reply | None:
        """Apply one update; return the button press's answer, for the caller to send.

        Raises when the update could not be stored, so a webhook answers 500.
        """
        handled = await self._database.update(arrived)
        if self.sender is not None:
            self.sender.submit(handled.queued)
        return handled.popup

    async def polled(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        """Apply a polled update, retrying while the database is unavailable."""
        arrived = incoming(update.to_dict())
        if arrived is None:
            return
        for delay in (*RETRIES, None):
            try:
                popup = await self(arrived)
                if popup is not None and self.sender is not None:
                    await self.sender.answer(popup)
                return
            except Exception:
                if delay is None:
                    raise
                log.warning("update %s failed; retrying in %.1fs", update.update_id, delay)
                await asyncio.sleep(delay)


def build_application(
    token: str,
    base_url: str,
    handler: UpdateHandler,
    *,
    rate_limit: float,
    polling: bool,
    post_init: Callable[[App], Coroutine[Any, Any, None]] | None = None,
    post_shutdown: Callable[[App], Coroutine[Any, Any, None]] | None = None,
) -> App:
    """Build the PTB application: rate limited, concurrent per user, one catch-all handler."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .rate_limiter(AIORateLimiter(overall_max_rate=rate_limit, max_retries=0))
        .request(AiohttpRequest())
        # Long polls wait up to their own timeout for Telegram to answer.
        .get_updates_request(AiohttpRequest(connections=1, read_timeout=30.0))
        .concurrent_updates(OrderedUpdateProcessor())
    )
    if not polling:
        builder = builder.updater(None)
    if post_init is not None:
        builder = builder.post_init(post_init)
    if post_shutdown is not None:
        builder = builder.post_shutdown(post_shutdown)
    application = builder.build()
    application.add_handler(TypeHandler(Update, handler.polled))
    application.add_error_handler(_log_error)
    return application


async def set_command_menus(application: App, localizers: Localizers) -> None:
    """Set the command menu in every language, and a default for all others (English)."""
    for code in SUPPORTED:
        texts = localizers.get(code)
        commands = [TelegramCommand(name, texts.gettext(text)) for name, text in MENU]
        await application.bot.set_my_commands(commands, language_code=code)
    english = localizers.get("en")
    await application.bot.set_my_commands(
        [TelegramCommand(name, english.gettext(text)) for name, text in MENU]
    )


async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The one broad handler at the edge: log first, without the update's content.
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed", update_id, exc_info=context.error)
