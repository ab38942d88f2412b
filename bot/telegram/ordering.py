"""Process updates concurrently, but each person's updates one at a time and in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerUserOrder:
    """FIFO locks by Telegram user id, dropped once nobody waits on them."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def run(self, user_id: int | None, work: Awaitable[Any]) -> Any:
        """Run `work` after the same user's earlier work has finished."""
        if user_id is None:
            return await work
        lock, users = self._locks.get(user_id, (asyncio.Lock(), 0))
        self._locks[user_id] = (lock, users + 1)
        try:
            async with lock:
                return await work
        finally:
            lock, users = self._locks[user_id]
            if users == 1:
                del self._locks[user_id]
            else:
                self._locks[user_id] = (lock, users - 1)


class OrderedUpdateProcessor(BaseUpdateProcessor):
    """PTB's update processor with per-user order; asyncio.Lock wakes waiters in FIFO order."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._order = PerUserOrder()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Process an update after the same user's earlier ones."""
        user = update.effective_user if isinstance(update, Update) else None
        await self._order.run(user.id if user else None, coroutine)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
