"""Where blocking database work runs when asked for from the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class DatabaseCalls(Protocol):
    """Runs database work off the event loop (the bot's DatabaseWork, or InThreads)."""

    async def call(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run `work`; return what it returns."""
        ...

    async def call_first(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run short, urgent `work` before other work waiting; return what it returns."""
        ...


class InThreads:
    """Database work in asyncio's default threads: for a command that runs without the bot."""

    async def call(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run `work` in a thread; return what it returns."""
        return await asyncio.to_thread(work, *arguments)

    async def call_first(self, work: Callable[..., T], *arguments: Any) -> T:
        """Run `work` in a thread, as call does: nothing waits here to go before."""
        return await asyncio.to_thread(work, *arguments)
