"""Watching the flows folder: a changed file is reloaded without a restart."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

log = logging.getLogger(__name__)

# How often the flows folder is looked at for changed files.
WATCH_SECONDS = 5.0
# Each flow file's modification time and size, by name: what the watcher compares.
Stamps = dict[str, tuple[float, int]]


async def watch_folder(
    folder: Path,
    reload: Callable[[], Awaitable[None]],
    failed: Callable[[Exception], Awaitable[None]],
    *,
    seen: Stamps | None = None,
    seconds: float = WATCH_SECONDS,
) -> None:
    """Call `reload` whenever the folder's flow files change; no failure stops the watching.

    A reload that raises (a file the database refuses, a bug) is logged and reported
    through `failed`; otherwise later broken files would never be reported.
    """
    if seen is None:
        seen = stamps(folder)
    while True:
        await asyncio.sleep(seconds)
        now = stamps(folder)
        if now == seen:
            continue
        # Remember the change first: a reload that fails is not retried every few seconds.
        seen = now
        log.info("flow files changed; reloading")
        try:
            await reload()
        except Exception as error:
            log.exception("reloading the flow files failed; still watching")
            try:
                await failed(error)
            except Exception:
                log.exception("telling the coordinators about the failed reload failed")


def stamps(folder: Path) -> Stamps:
    """Return each flow file's modification time and size, by name (none when unreadable)."""
    try:
        stats = {p.name: p.stat() for p in folder.glob("*.yaml")}
    except OSError:
        return {}
    return {name: (stat.st_mtime, stat.st_size) for name, stat in stats.items()}
