"""Carries conversation messages across: translated on this machine, then into the outbox.

A message is stored waiting for its translation in the update that took it; this relay
translates it after that commit, on the interactive translator (a model process of its
own, so it never waits behind the background translation of remarks), and queues what
it becomes in one transaction with the change of its state: a message is queued once,
whichever worker or restart gets to it first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.conversations.letters import to_parent, to_staff
from bot.conversations.ports import SchoolNames
from bot.i18n.localizer import Localizers
from bot.messages.replies import Replies
from bot.storage.models import ConversationMessage
from bot.storage.models.conversations import DELIVERED, SENDING, STAFF, TRANSLATING
from bot.storage.queue import Queued
from bot.storage.unit import Transactions, UnitOfWork
from bot.storage.work import DatabaseCalls
from bot.translation.ports import MachineTranslator

log = logging.getLogger(__name__)

# A message waiting longer than this was left by a stopped worker: the sweep takes it up.
LEFT_AFTER = timedelta(seconds=20)
SWEEP_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Wanted:
    """A message to translate: its text and the two languages."""

    message_id: int
    text: str
    source: str
    target: str


class Relay:
    """Translates conversation messages and queues them to the other side."""

    def __init__(
        self,
        transactions: Transactions,
        translator: MachineTranslator | None,
        localizers: Localizers,
        schools: SchoolNames,
        clock: Clock,
        *,
        close: Callable[[], None] | None = None,
    ) -> None:
        self._transactions = transactions
        # Ends the translator's model process, when this relay owns it.
        self._close = close
        self._translator = translator
        self._localizers = localizers
        self._schools = schools
        self._clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []

    def submit(self, message_ids: Iterable[int]) -> None:
        """Hand over messages just committed (from any thread); the sweep finds the rest."""
        loop = self._loop
        if loop is None:
            return
        for message_id in message_ids:
            loop.call_soon_threadsafe(self._queue.put_nowait, message_id)

    async def start(self, database: DatabaseCalls, send: Callable[[list[Queued]], None]) -> None:
        """Start relaying in this event loop; first whatever an earlier run left."""
        self._loop = asyncio.get_running_loop()
        self._tasks = [
            asyncio.create_task(self._work(database, send)),
            asyncio.create_task(self._sweep(database)),
        ]

    async def stop(self) -> None:
        """Stop relaying; what waits stays stored for the next start."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks, self._loop = [], None
        if self._close is not None:
            await asyncio.to_thread(self._close)

    async def idle(self) -> None:
        """Wait until every message handed over so far was relayed (for tests)."""
        await self._queue.join()

    async def _work(self, database: DatabaseCalls, send: Callable[[list[Queued]], None]) -> None:
        while True:
            message_id = await self._queue.get()
            try:
                wanted = await database.call(self._wanted, message_id)
                translation = None
                if wanted is not None and wanted.source != wanted.target:
                    translation = await asyncio.to_thread(self._translate, wanted)
                if wanted is not None:
                    send(await database.call(self._finish, message_id, translation))
            except Exception:
                log.exception("relaying conversation message %s failed", message_id)
            finally:
                self._queue.task_done()

    async def _sweep(self, database: DatabaseCalls) -> None:
        while True:
            try:
                for message_id in await database.call(self._left):
                    self._queue.put_nowait(message_id)
            except Exception:
                log.exception("looking for conversation messages left waiting failed")
            await asyncio.sleep(SWEEP_SECONDS)

    def _left(self) -> list[int]:
        with self._transactions.read() as unit:
            return unit.conversations.waiting(self._clock.now() - LEFT_AFTER, 100)

    def _wanted(self, message_id: int) -> Wanted | None:
        """Read what to translate, and into which language (in a database thread)."""
        with self._transactions.read() as unit:
            message = unit.conversations.get(message_id)
            if message is None or message.state != TRANSLATING:
                return None  # relayed already, or erased
            if message.author == STAFF:
                parent = unit.conversations.parent(message.parent_id)
                target = (parent.language if parent else None) or message.language
            else:
                school = unit.schools.get(message.school_code)
                target = school.digest_language if school else "nl"
            return Wanted(message_id, message.text, message.language, target)

    def _translate(self, wanted: Wanted) -> str | None:
        """Translate on the interactive translator; None when it cannot (no package)."""
        if self._translator is None or not wanted.text.strip():
            return None
        try:
            return self._translator.translate(wanted.text, wanted.source, wanted.target).text
        except Exception as error:
            log.info(
                "conversation message %s→%s not translated: %s",
                wanted.source,
                wanted.target,
                type(error).__name__,
            )
            return None

    def _finish(self, message_id: int, translation: str | None) -> list[Queued]:
        """Store the translation and queue the message, once (in a database thread)."""
        with self._transactions.begin() as unit:
            message = unit.conversations.take(message_id)
            if message is None:
                return []
            message.translation = translation
            message.untranslated = translation is None and not self._same(message, unit)
            if message.author == STAFF:
                return self._to_parent(unit, message)
            return self._to_staff(unit, message)

    def _same(self, message: ConversationMessage, unit: UnitOfWork) -> bool:
        """Tell whether the reader reads the message's own language (nothing to translate)."""
        if message.author == STAFF:
            parent = unit.conversations.parent(message.parent_id)
            return parent is not None and parent.language == message.language
        school = unit.schools.get(message.school_code)
        return (school.digest_language if school else "nl") == message.language

    def _to_parent(self, unit: UnitOfWork, message: ConversationMessage) -> list[Queued]:
        parent = unit.conversations.parent(message.parent_id)
        if parent is None:
            return []
        texts = self._localizers.get(parent.language or message.language)
        text, buttons, _ = to_parent(message, self._schools.describe(message.school_code), texts)
        replies = Replies(parent.chat_id)
        replies.send(text, buttons, traced=True)
        queued = unit.outbox.queue(parent.chat_id, replies.items, parent.id)
        message.state = SENDING
        message.outbox_id = queued[-1].outbox_id
        return queued

    def _to_staff(self, unit: UnitOfWork, message: ConversationMessage) -> list[Queued]:
        text, buttons, carrying = to_staff(message)
        queued: list[Queued] = []
        for chat_id in unit.recipients.receiving_chats(message.school_code):
            replies = Replies(chat_id)
            replies.send(text, buttons, carrying=carrying, traced=True)
            queued += unit.outbox.queue(chat_id, replies.items, None)
        message.state = DELIVERED
        return queued
