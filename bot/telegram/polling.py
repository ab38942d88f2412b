"""Long polling of our own: an update is confirmed to Telegram only once it is stored.

PTB's Updater confirms a batch (its next getUpdates' offset) as soon as the batch is in
its memory queue: a process that died while the database was busy lost those updates.
And one update PTB cannot parse (Telegram's own examples lack `is_bot`) failed the whole
batch on every poll, for good. Here each update is read from its JSON on its own, the
batch is settled (stored, dropped or acknowledged), and only then is the next poll's
offset moved past it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Sequence
from typing import Any

from telegram import Bot
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot.messages.incoming import Incoming
from bot.telegram.app import UpdateHandler
from bot.telegram.sender import retry_seconds
from bot.telegram.updates import Ignored, UnreadableUpdateError, read_update, update_id_of

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
# Seconds Telegram holds a poll open when nothing arrives; the read timeout adds a margin.
LONG_POLL_SECONDS = 30
READ_MARGIN_SECONDS = 10.0
# Between failed polls (network, Telegram's own trouble), growing to half a minute.
FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 30.0


class Poller:
    """Fetches updates, settles each batch, and only then confirms it."""

    def __init__(
        self,
        bot: Bot,
        handler: UpdateHandler,
        *,
        timeout: int = LONG_POLL_SECONDS,
        allowed_updates: Sequence[str] = ALLOWED_UPDATES,
    ) -> None:
        # getUpdates is called by name for its raw JSON; PTB warns that a typed one exists.
        # Here, where the poller is built, rather than at import: importing changes nothing.
        warnings.filterwarnings(
            "ignore", message=r"Please use 'Bot\.getUpdates'", category=PTBUserWarning
        )
        self._bot = bot
        self._handler = handler
        self._timeout = timeout
        self._allowed = list(allowed_updates)
        self._stopping = asyncio.Event()
        # The first update Telegram may still send us: everything below it is settled.
        self._offset: int | None = None

    def stop(self) -> None:
        """Stop after the batch in hand; an update not yet stored stays with Telegram."""
        self._stopping.set()

    async def run(self) -> None:
        """Poll until stopped, then confirm what was settled."""
        await self._without_webhook()
        log.info("polling Telegram for updates")
        pause = FIRST_PAUSE_SECONDS
        while not self._stopping.is_set():
            try:
                batch = await self._fetch(self._timeout)
            except RetryAfter as error:
                await self._pause(retry_seconds(error))
                continue
            except InvalidToken:
                log.error("Telegram refused TELEGRAM_BOT_TOKEN; polling stops")
                return
            except Exception as error:  # the edge of polling: log, wait, poll again
                self._log_failed(error, pause)
                await self._pause(pause)
                pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
                continue
            pause = FIRST_PAUSE_SECONDS
            if batch:
                await self._settle(batch)
        await self._confirm()
        log.info("polling stopped")

    @staticmethod
    def _log_failed(error: Exception, pause: float) -> None:
        # A network hiccup is routine; another process polling with our token is not.
        routine = isinstance(error, TelegramError) and not isinstance(error, Conflict)
        level = logging.INFO if routine else logging.WARNING
        log.log(level, "polling failed (%s); again in %.0fs", type(error).__name__, pause)
        log.debug("polling failed", exc_info=error)

    async def _without_webhook(self) -> None:
        # A webhook left from an earlier `run --webhook` makes every getUpdates fail.
        try:
            await self._bot.delete_webhook()
        except TelegramError as error:
            log.warning("could not remove the webhook: %s", type(error).__name__)

    async def _fetch(self, timeout: int) -> list[object] | None:
        """Return the next updates as JSON; None when stopped while waiting for them."""
        arguments: dict[str, Any] = {"timeout": timeout, "allowed_updates": self._allowed}
        if self._offset is not None:
            arguments["offset"] = self._offset
        poll = asyncio.ensure_future(
            self._bot.do_api_request(
                "getUpdates", api_kwargs=arguments, read_timeout=timeout + READ_MARGIN_SECONDS
            )
        )
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({poll, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if not poll.done():
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await poll
            return None
        result = poll.result()
        if not isinstance(result, list):
            raise TelegramError("getUpdates did not answer a list")
        return result

    async def _settle(self, batch: list[object]) -> None:
        """Apply a batch, each person's updates in order, and move the offset past it."""
        ids = [i for i in map(update_id_of, batch) if i is not None]
        if not ids:
            # Nothing to confirm them by: without a pause this would spin on them.
            log.warning("a batch of %d updates had no readable update_id", len(batch))
            await self._pause(FIRST_PAUSE_SECONDS)
            return
        people: dict[int, list[Incoming]] = {}
        for update in batch:
            arrived = await self._read(update)
            if arrived is not None:
                people.setdefault(arrived.user_id, []).append(arrived)
        unsettled = await asyncio.gather(*(self._in_turn(updates) for updates in people.values()))
        left = [update_id for ids_left in unsettled for update_id in ids_left]
        self._offset = min(left) if left else max(ids) + 1

    async def _read(self, update: object) -> Incoming | None:
        """Return the update to apply, or None once it is acknowledged (or unreadable)."""
        try:
            arrived = read_update(update)
        except UnreadableUpdateError as error:
            # Once: it is confirmed with the batch and never comes again.
            log.warning("update %s unreadable: %s", update_id_of(update), error)
            return None
        if isinstance(arrived, Ignored):
            level = logging.WARNING if arrived.forged else logging.DEBUG
            log.log(level, "update %s not handled: %s", update_id_of(update), arrived.reason)
            await self._handler.answer(arrived.callback_id)
            return None
        return arrived

    async def _in_turn(self, updates: list[Incoming]) -> list[int]:
        """Apply one person's updates in order; return the ids of those not settled."""
        for index, arrived in enumerate(updates):
            if not await self._handler.settle(arrived, self._stopping):
                return [u.update_id for u in updates[index:]]
        return []

    async def _confirm(self) -> None:
        """Tell Telegram what is settled, so a restart does not fetch it again."""
        if self._offset is None:
            return
        try:
            await self._fetch_now()
        except TelegramError as error:
            # Harmless: what comes again is recognised as processed and answered nothing.
            log.info("settled updates not confirmed at stop: %s", type(error).__name__)

    async def _fetch_now(self) -> None:
        arguments = {"timeout": 0, "offset": self._offset, "allowed_updates": self._allowed}
        await self._bot.do_api_request("getUpdates", api_kwargs=arguments)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
