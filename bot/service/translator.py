"""Translates parents' free text in the background, beside the bot, never in its way.

One worker thread takes jobs from a bounded queue. A job names a stored answer, not its
text: the worker reads the text from the database, so an answer erased meanwhile is
never translated. When the queue is full the job is dropped and its row stays pending;
a periodic sweep queues pending rows again, and every untranslated one once the
installed packages change. The thread runs at a lower priority, so on a small machine
the bot's own work comes first.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable, Hashable, Sequence
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from bot.service import translations as store
from bot.service.translations import Job
from bot.translation.ports import MachineTranslator

log = logging.getLogger(__name__)

_STOP = None


class BackgroundTranslator:
    """A bounded queue of translation jobs and the thread that works through it."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        translator: MachineTranslator,
        *,
        capacity: int = 1000,
        sweep_seconds: float = 60.0,
        max_attempts: int = 3,
        packages: Callable[[], Hashable] = lambda: None,
        on_packages_changed: Callable[[], None] = lambda: None,
        niceness: int = 10,
    ) -> None:
        self._sessions = sessions
        self._translator = translator
        self._queue: queue.Queue[Job | None] = queue.Queue(maxsize=capacity)
        self._sweep_seconds = sweep_seconds
        self._max_attempts = max_attempts
        self._packages = packages
        self._on_packages_changed = on_packages_changed
        self._niceness = niceness
        self._lock = threading.Lock()
        # Jobs in the queue or being worked on, so a sweep does not queue them twice.
        self._open: set[Job] = set()
        self._idle = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._seen_packages: Hashable = None

    def start(self) -> None:
        """Start the worker; it first queues whatever was left over from before."""
        self._thread = threading.Thread(target=self._work, name="translator", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker after the job in hand; queued jobs stay pending in the database."""
        if self._thread is None:
            return
        while True:
            try:
                self._queue.put_nowait(_STOP)
                break
            except queue.Full:
                self._take_one_out()
        self._thread.join(timeout)
        self._thread = None

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
        with self._sessions() as db:
            jobs = store.due(
                db,
                packages_changed=changed,
                max_attempts=self._max_attempts,
                limit=self._queue.maxsize,
            )
        return self.submit(jobs)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job is queued or in hand; tell whether that happened in time."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._open, timeout)

    def translate_one(self, job: Job) -> None:
        """Translate one stored answer and store the result (or why there is none)."""
        with self._sessions() as db:
            wanted = store.wanted(db, job)
            same = store.done_elsewhere(db, wanted) if wanted else None
            known = (same.text or "", same.package or "") if same else None
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
            with self._sessions.begin() as db:
                store.record_failed(db, wanted, type(error).__name__)
            return
        with self._sessions.begin() as db:
            store.record_done(db, wanted, *known)
        log.debug("translated an answer %s→%s", wanted.source_language, wanted.target_language)

    def _work(self) -> None:
        _lower_priority(self._niceness)
        self._safely(self.sweep)
        while True:
            try:
                job = self._queue.get(timeout=self._sweep_seconds)
            except queue.Empty:
                self._safely(self.sweep)
                continue
            if job is _STOP:
                return
            self._safely(partial(self.translate_one, job))
            with self._idle:
                self._open.discard(job)
                self._idle.notify_all()

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


def _lower_priority(niceness: int) -> None:
    """Lower this thread's priority (Linux sets it per thread); elsewhere do nothing.

    SCHED_IDLE runs the thread only on a core nothing else wants, which a nice value
    alone does not: at nice 10 the model still took a share of the bot's core. The
    model's own threads, created from this one, inherit it.
    """
    if niceness <= 0:
        return
    thread = threading.get_native_id()
    try:
        os.sched_setscheduler(thread, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        try:
            os.setpriority(os.PRIO_PROCESS, thread, niceness)
        except (AttributeError, OSError):
            log.debug("cannot lower the translator's priority here")
