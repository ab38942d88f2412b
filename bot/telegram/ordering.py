"""Process updates concurrently, but each person's updates one at a time and in order.

Polling keeps the order by settling a batch person by person (bot/telegram/polling.py);
the webhook, whose requests arrive in parallel, keeps it with these locks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any


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
