"""Translates parents' free text in the background, beside the bot, never in its way.

One worker thread takes jobs from a bounded queue. A job names a stored answer, not its
text: the worker reads the text from the database, so an answer erased meanwhile is
never translated. When the queue is full the job is dropped and its row stays pending;
a periodic sweep queues pending rows again, and every untranslated one once the
installed packages change. The model itself runs in a child process at the lowest
priority (bot/translation/process.py), so on a small machine the bot's own work comes first.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from functools import partial

from bot.storage.models import utcnow
from bot.storage.repositories.translations import Wanted
from bot.storage.unit import Transactions
from bot.storage.work import DatabaseCalls, InThreads
from bot.translation.ports import MachineTranslator
from bot.translation.requests import Job

log = logging.getLogger(__name__)

_STOP = None


class BackgroundTranslator:
    """A bounded queue of translation jobs and the thread that works through it."""

    def __init__(
        self,
        transactions: Transactions,
        translator: MachineTranslator,
        *,
        database: DatabaseCalls | None = None,
        capacity: int = 1000,
        sweep_seconds: float = 60.0,
        max_attempts: int = 3,
        packages: Callable[[], Hashable] = lambda: None,
        on_packages_changed: Callable[[], None] = lambda: None,
        on_stop: Callable[[], None] = lambda: None,
        share: float = 1.0,
    ) -> None:
        # Where this thread's database work runs: the bot's own database threads, since
        # on SQLite a second writer makes both wait; without the bot, this thread.
        self._database: DatabaseCalls = database or InThreads()
        self._transactions = transactions
        self._translator = translator
        self._queue: queue.Queue[Job | None] = queue.Queue(maxsize=capacity)
        self._sweep_seconds = sweep_seconds
        self._max_attempts = max_attempts
        self._packages = packages
        self._on_packages_changed = on_packages_changed
        self._on_stop = on_stop
        # The part of its time the model may work: after a job it rests in proportion,
        # so on a small machine it leaves the bot room even at the lowest priority.
        self._share = min(1.0, max(0.01, share))
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        # Jobs in the queue or being worked on, so a sweep does not queue them twice.
        self._open: set[Job] = set()
        self._idle = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._seen_packages: Hashable = None

    def start(self, database: DatabaseCalls | None = None) -> None:
        """Start the worker; it first queues whatever was left over from before.

        `database` replaces where its database work runs: the bot builds its database
        threads after the translator, since the desk they serve holds the translator.
        """
        if database is not None:
            self._database = database
        self._stopping.clear()
        self._thread = threading.Thread(target=self._work, name="translator", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker after the job in hand; queued jobs stay pending in the database."""
        if self._thread is None:
            return
        self._stopping.set()
        # What is queued is left for the next start's sweep: stop now, not after it all.
        while not self._queue.empty():
            self._take_one_out()
        self._queue.put(_STOP)
        self._thread.join(timeout)
        self._thread = None
        self._on_stop()

    def submit(self, jobs: Sequence[Job]) -> int:
        """Queue jobs without ever waiting; return how many fit (the rest stay pending)."""
        accepted = 0
        for job in jobs:
            with self._lock:
                if job in self._open:
                    continue
                try:
                    self._queue.put_nowait(job)
                except queue.Full:
                    log.info("translation queue full; an answer is left for the sweep")
                    continue
                self._open.add(job)
                accepted += 1
        return accepted

    def sweep(self) -> int:
        """Queue the answers still to translate; after a package install, retry them all."""
        current = self._packages()
        changed = current != self._seen_packages
        if changed:
            self._seen_packages = current
            self._on_packages_changed()

        def due() -> list[Job]:
            with self._transactions.read() as unit:
                wishes = unit.translations.due(
                    packages_changed=changed,
                    max_attempts=self._max_attempts,
                    limit=self._queue.maxsize,
                )
            return [Job(*wish) for wish in wishes]

        return self.submit(self._database.run(due))

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job is queued or in hand; tell whether that happened in time."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._open, timeout)

    def translate_one(self, job: Job) -> None:
        """Translate one stored answer and store the result (or why there is none)."""

        def look_up() -> tuple[Wanted | None, tuple[str, str] | None]:
            with self._transactions.read() as unit:
                wanted = unit.translations.wanted(job.wish)
                return wanted, unit.translations.done_elsewhere(wanted) if wanted else None

        wanted, known = self._database.run(look_up)
        if wanted is None:
            return
        try:
            if known is None:
                translated = self._translator.translate(
                    wanted.text, wanted.source_language, wanted.target_language
                )
                known = (translated.text, translated.package)
        # Any failure of the model leaves the answer untranslated, to be retried.
        except Exception as error:
            log.warning(
                "translation %s→%s failed: %s",
                wanted.source_language,
                wanted.target_language,
                type(error).__name__,
            )
            self._database.run(partial(self._record_failed, wanted, type(error).__name__))
            return
        self._database.run(partial(self._record_done, wanted, *known))
        log.debug("translated an answer %s→%s", wanted.source_language, wanted.target_language)

    def _record_failed(self, wanted: Wanted, error: str) -> None:
        with self._transactions.begin() as unit:
            unit.translations.record_failed(wanted, error, utcnow())

    def _record_done(self, wanted: Wanted, text: str, package: str) -> None:
        with self._transactions.begin() as unit:
            unit.translations.record_done(wanted, text, package, utcnow())

    def _work(self) -> None:
        self._safely(self.sweep)
        while True:
            try:
                job = self._queue.get(timeout=self._sweep_seconds)
            except queue.Empty:
                self._safely(self.sweep)
                continue
            if job is _STOP:
                return
            started = time.monotonic()
            self._safely(partial(self.translate_one, job))
            with self._idle:
                self._open.discard(job)
                self._idle.notify_all()
            worked = time.monotonic() - started
            self._stopping.wait(worked * (1 / self._share - 1))

    def _take_one_out(self) -> None:
        try:
            job = self._queue.get_nowait()
        except queue.Empty:
            return
        with self._idle:
            if job is not None:
                self._open.discard(job)
            self._idle.notify_all()

    @staticmethod
    def _safely(action: Callable[[], object]) -> None:
        # The worker must outlive a database outage; the row stays and is retried.
        try:
            action()
        except Exception:
            log.exception("translation worker step failed")
