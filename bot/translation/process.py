"""The translator in a child process of its own, at the machine's lowest CPU priority.

In the bot's own process the model's Python parts hold the GIL, and a low-priority
thread that holds it stalls the bot until the kernel runs that thread again: at 300
updates/s bench/translate.py measured the bot's p99 ten times higher. A child process
has its own GIL, and the kernel's idle class keeps it off cores the bot wants.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from bot.translation.argos import ArgosTranslator
from bot.translation.errors import (
    PairNotInstalledError,
    TranslationError,
    TranslationUnavailableError,
)
from bot.translation.ports import Translated

log = logging.getLogger(__name__)

# The child's own translator, made once when the child starts.
_CHILD: ArgosTranslator | None = None


class ProcessTranslator:
    """Translates with Argos in one child process, started on first use and again after a crash."""

    def __init__(
        self, packages_dir: Path, *, threads: int = 1, idle: bool = True, nice: int = 0
    ) -> None:
        self._packages_dir = packages_dir
        self._threads = threads
        # Background work runs in the idle class; a message someone waits for may not,
        # but at `nice` it still yields to the bot when both want the same core.
        self._idle = idle
        self._nice = nice
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    def translate(self, text: str, source: str, target: str) -> Translated:
        """Translate in the child; raise a TranslationError when it cannot."""
        pool = self._started()
        try:
            outcome = pool.submit(_translate, text, source, target).result()
        except BrokenProcessPool:
            # The child died (killed, out of memory): the next call starts another.
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise TranslationError("the translation process stopped") from None
        if isinstance(outcome, Translated):
            return outcome
        raise _error(outcome, source, target)

    def close(self) -> None:
        """Stop the child process."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._closed = True
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise TranslationError("the translator is closed")
            if self._pool is None:
                # Spawned, not forked: the bot has threads, and a fork copies their locks.
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_child,
                    initargs=(str(self._packages_dir), self._threads, self._idle, self._nice),
                )
            return self._pool


def _error(name: str, source: str, target: str) -> TranslationError:
    """Rebuild the child's error here (exceptions with their own arguments do not pickle)."""
    if name == PairNotInstalledError.__name__:
        return PairNotInstalledError(source, target)
    if name == TranslationUnavailableError.__name__:
        return TranslationUnavailableError()
    return TranslationError(f"translation failed in the child process: {name}")


def _start_child(packages_dir: str, threads: int, idle: bool = True, nice: int = 0) -> None:
    """Runs first in the child: its priority, then the translator (models load lazily)."""
    global _CHILD
    # Libraries size their thread pools from these when first imported; the model gets
    # `threads` of its own, nothing more.
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(threads)
    try:
        # On no more cores than its threads, the last ones: the bot keeps the others whole.
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, cores[-max(1, threads) :])
    except (AttributeError, OSError):
        log.debug("cannot keep the translation process to fewer cores here")
    if idle:
        _lowest_priority()
    elif nice:
        try:
            os.nice(nice)
        except (AttributeError, OSError):
            log.debug("cannot lower the translation process's priority here")
    _CHILD = ArgosTranslator(Path(packages_dir), threads=threads)
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), daemon=True).start()


def _lowest_priority() -> None:
    """Put this process in the kernel's idle class, or at least at the lowest nice level."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        try:
            os.nice(19)
        except (AttributeError, OSError):
            log.debug("cannot lower the translation process's priority here")


def _end_with_parent(parent: int) -> None:
    """Exit when the bot is gone (killed, crashed), so no translator outlives it."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _translate(text: str, source: str, target: str) -> Translated | str:
    """Runs in the child: the translation, or the name of the error that stopped it."""
    assert _CHILD is not None, "runs only in the child, after _start_child"
    try:
        return _CHILD.translate(text, source, target)
    except Exception as error:  # the parent decides what it means
        return type(error).__name__
