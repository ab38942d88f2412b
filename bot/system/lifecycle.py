"""The bot's process, from start to stop: it runs a built System and builds no part of it.

Preparing the database, tuning the collector, starting the sender, the translator and
the timed work, watching the flows folder, reloading on SIGHUP, serving by polling or
as the webhook's lifespan, and stopping it all again in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.coordinators.flows import reload_report, tell_coordinators
from bot.digests.needs import fill_older_needs
from bot.storage import stored
from bot.storage.migrate import upgrade
from bot.system.build import System
from bot.system.watch import Stamps, stamps, watch_folder
from bot.telegram.app import set_command_menus
from bot.telegram.polling import Poller

log = logging.getLogger(__name__)

RELOAD_FAILED = (
    "Herladen van de vragenlijsten is mislukt ({error}); de vorige versies blijven in "
    "gebruik. Controleer met: ouderbrug flows check. Het log van de bot zegt meer."
)


class Lifecycle:
    """Starts and stops the parts of one System that run while the bot serves."""

    def __init__(self, system: System) -> None:
        self.system = system
        self._tasks: list[asyncio.Task[None]] = []

    def prepare(self) -> None:
        """Upgrade the database, then load the flows and the schools the bot serves."""
        system = self.system
        upgrade(system.settings.database)
        if not system.settings.privacy_url:
            log.warning("PRIVACY_URL is not set: the consent question links no privacy statement")
        for problem in system.registry.reload():
            log.warning("%s", problem.format())
        speech = system.voices.problem()
        if speech is not None:
            log.warning("questions read aloud: only recorded texts; %s", speech)
        log.info("%d schools known", system.schools.refresh())
        if filled := fill_older_needs(system.storage.transactions, system.registry):
            log.info("the needs of %d earlier responses were stored for the dashboard", filled)

    async def start(self) -> None:
        """Start sending, the translator, the timed work, and watching for changed flows."""
        system = self.system
        _tune_for_serving()
        # Commands run later without Telegram (`schools links`) make links with it.
        username = system.telegram.bot.username
        await system.work.call(remember_username, system.storage.sessions, username)
        await system.sender.start()
        await system.relay.start(system.work, system.sender.submit)
        # On SQLite a second writer makes both wait: the translator writes through ours.
        system.translator.start(system.work)
        await set_command_menus(system.telegram, system.localizers)
        system.jobs.start()
        # Look at the folder now, not when the task first runs: a file saved in between
        # would otherwise count as already seen and never be checked.
        self._tasks.append(
            asyncio.create_task(self._watch_flows(stamps(system.settings.flows_dir)))
        )
        try:
            asyncio.get_running_loop().add_signal_handler(
                signal.SIGHUP, lambda: asyncio.ensure_future(self.reload_and_tell())
            )
        except (NotImplementedError, RuntimeError, ValueError):
            log.info("SIGHUP reload is not available here; the folder is watched instead")

    async def stop(self) -> None:
        """Stop the background work; unsent messages stay in the outbox."""
        system = self.system
        system.jobs.stop()
        for task in self._tasks:
            task.cancel()
        self._tasks.clear()
        await system.relay.stop()
        await system.sender.stop()
        await asyncio.get_running_loop().run_in_executor(None, system.translator.stop)
        system.work.shutdown()
        system.storage.close()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the bot on Telegram for as long as the block lasts."""
        application = self.system.telegram
        async with application:
            await application.start()
            await self.start()
            try:
                yield
            finally:
                await self.stop()
                await application.stop()

    async def poll(self) -> None:
        """Serve by long polling until SIGINT or SIGTERM, as `ouderbrug run` does."""
        poller = Poller(self.system.telegram.bot, self.system.handler)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            # Not on Windows: there Ctrl+C ends the process without the confirming poll.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, poller.stop)
        async with self.running():
            await poller.run()

    async def webhook(self) -> AsyncIterator[None]:
        """Run the bot for as long as the web server runs; point Telegram at it if asked."""
        settings = self.system.settings
        async with self.running():
            if settings.webhook_url:
                secret = settings.webhook_secret
                await self.system.telegram.bot.set_webhook(
                    settings.webhook_url,
                    secret_token=secret.get_secret_value() if secret else None,
                )
            yield

    async def reload_and_tell(self) -> None:
        """Reload the flows and tell the coordinators when a file was refused."""
        system = self.system
        problems = await system.work.call(system.registry.reload)
        if any(p.is_error for p in problems):
            await self._tell_coordinators(reload_report(system.registry, problems))

    async def healthy(self) -> bool:
        """Tell whether the database answers."""

        def ping() -> bool:
            with self.system.storage.database.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True

        try:
            return await self.system.work.call(ping)
        except Exception:
            return False

    async def _watch_flows(self, seen: Stamps) -> None:
        folder = self.system.settings.flows_dir
        await watch_folder(folder, self.reload_and_tell, self._reload_failed, seen=seen)

    async def _reload_failed(self, error: Exception) -> None:
        await self._tell_coordinators(RELOAD_FAILED.format(error=type(error).__name__))

    async def _tell_coordinators(self, report: str) -> None:
        system = self.system
        queued = await system.work.call(
            tell_coordinators, system.storage.transactions, system.settings.coordinator_ids, report
        )
        system.sender.submit(queued)


def _tune_for_serving() -> None:
    """Tune the interpreter for a long-running bot, once what it keeps is loaded."""
    # The event loop and the database thread hand the GIL back and forth on every
    # update; Python's default 5 ms switch interval would add that much latency.
    sys.setswitchinterval(0.0005)
    # What start built (modules, flows, catalogs, the bot) lives as long as the process:
    # leave it out of the collector's full passes, which walked all of it and paused
    # the bot for up to 0.3 s under load (bench/bot.py).
    gc.collect()
    gc.freeze()


def remember_username(sessions: sessionmaker[Session], username: str) -> None:
    """Store the bot's username as Telegram's getMe gave it."""
    with sessions.begin() as db:
        stored.remember(db, stored.BOT_USERNAME, username)
