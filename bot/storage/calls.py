"""Where blocking database work runs: kept so that importers move to bot.storage.work."""

from __future__ import annotations

from bot.storage.work import DatabaseCalls, InThreads

__all__ = ["DatabaseCalls", "InThreads"]
