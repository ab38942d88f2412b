"""Where database work runs when asked for from elsewhere: the event loop or a thread.

One interface, DatabaseCalls, for everyone who hands database work off: the sender's
bookkeeping, timed jobs, the e-mail sender and the translator's thread. The bot's
DatabaseWork runs it on its own few threads (on SQLite one, so writers never wait on each
other) in turn with the updates, which it applies in groups; InThreads serves a command
that runs without the bot.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")
T = TypeVar("T")

# Who waits for a result: a caller on the event loop, or a thread of our own.
Waiter = asyncio.Future[Any] | Future[Any]

# Large enough to share a commit among what arrives during one; small enough that a
# group never keeps its first update waiting long.
MOST = 16


class DatabaseCalls(Protocol):
    """Runs database work elsewhere and hands back its result (or its exception)."""

    async def call(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run `work`, asked for from the event loop; return what it returns."""
        ...

    async def call_first(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run short, urgent `work` before other work waiting; return what it returns."""
        ...

    def run(self, work: Callable[[], T]) -> T:
        """Run `work`, asked for from a thread of our own; wait for its result."""
        ...


class InThreads:
    """Database work in asyncio's default threads: for a command that runs without the bot."""

    async def call(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run `work` in a thread; return what it returns."""
        return await asyncio.to_thread(work, *arguments)

    async def call_first(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run `work` in a thread, as call does: nothing waits here to go before."""
        return await asyncio.to_thread(work, *arguments)

    def run(self, work: Callable[[], T]) -> T:
        """Run `work` in the caller's own thread: without the bot, no other writer waits."""
        return work()


@dataclass(frozen=True, slots=True)
class _Job:
    """One piece of other work (sending bookkeeping, reloads, health checks)."""

    work: Callable[..., Any]
    arguments: tuple[Any, ...]


class DatabaseWork(Generic[In, Out]):
    """Runs database work off the event loop, in the order it was asked for.

    Updates are handed to `batch` in groups: nothing waits to fill one, but what arrives
    while every thread is busy goes together next, so under load one commit serves many.
    A thread takes its next piece of work itself, without a round trip through the event
    loop, so the database never waits for a busy loop to hand out work. Other work runs
    alone, in turn with the updates, so it never starves behind a steady stream of them.
    """

    def __init__(
        self, batch: Callable[[Sequence[In]], Sequence[Out | Exception]], threads: int
    ) -> None:
        self._batch = batch
        self._threads = threads
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="desk")
        self._lock = threading.Lock()
        self._busy = 0  # threads working through the queue; under the lock
        self._queue: deque[tuple[In | _Job, Waiter]] = deque()

    async def update(self, item: In) -> Out:
        """Apply one update among others; return its result or raise its exception."""
        result: Out = await self._enqueue(item)
        return result

    async def call(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run other database work in turn; return what it returns."""
        result: T = await self._enqueue(_Job(work, arguments))
        return result

    async def call_first(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run other database work before anything waiting; return what it returns.

        For short work that must not wait behind a queue of updates: recording what
        Telegram already delivered, which a crash before the commit would repeat.
        """
        result: T = await self._enqueue(_Job(work, arguments), first=True)
        return result

    def run(self, work: Callable[[], T]) -> T:
        """Run other database work in turn, from a thread of our own; wait for its result."""
        future: Future[T] = Future()
        self._put(_Job(work, ()), future)
        return future.result()

    def shutdown(self) -> None:
        """Wait for the work in hand, then stop the threads."""
        self._executor.shutdown(wait=True)

    async def _enqueue(self, entry: In | _Job, *, first: bool = False) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._put(entry, future, first=first)
        return await future

    def _put(self, entry: In | _Job, waiter: Waiter, *, first: bool = False) -> None:
        with self._lock:
            if first:
                self._queue.appendleft((entry, waiter))
            else:
                self._queue.append((entry, waiter))
            start = self._busy < self._threads
            if start:
                self._busy += 1
        if start:
            self._executor.submit(self._drain)

    def _drain(self) -> None:
        while True:
            with self._lock:
                taken = self._take()
                if not taken:
                    self._busy -= 1
                    return
            results = self._run([entry for entry, _ in taken])
            pairs = [(waiter, result) for (_, waiter), result in zip(taken, results, strict=True)]
            on_loop = [(w, r) for w, r in pairs if isinstance(w, asyncio.Future)]
            if on_loop:
                # One wake-up of the (bot's one) event loop for the whole group.
                on_loop[0][0].get_loop().call_soon_threadsafe(_settle, on_loop)
            _settle([(w, r) for w, r in pairs if not isinstance(w, asyncio.Future)])

    def _take(self) -> list[tuple[In | _Job, Waiter]]:
        """Take a job alone, or the updates at the head of the queue (under the lock)."""
        if not self._queue:
            return []
        if isinstance(self._queue[0][0], _Job):
            return [self._queue.popleft()]
        taken: list[tuple[In | _Job, Waiter]] = []
        while self._queue and len(taken) < MOST and not isinstance(self._queue[0][0], _Job):
            taken.append(self._queue.popleft())
        return taken

    def _run(self, entries: list[In | _Job]) -> list[Any]:
        first = entries[0]
        try:
            if isinstance(first, _Job):
                return [first.work(*first.arguments)]
            return list(self._batch(entries))  # type: ignore[arg-type] # all updates here
        except Exception as error:
            return [error] * len(entries)


def _settle(pairs: Sequence[tuple[Waiter, Any]]) -> None:
    for waiter, result in pairs:
        if waiter.done():  # its caller is gone (a webhook client hung up)
            continue
        if isinstance(result, Exception):
            waiter.set_exception(result)
        else:
            waiter.set_result(result)
