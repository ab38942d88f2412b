"""Build the running bot from the settings: storage, flows, schools, desk, Telegram, sender."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sqlalchemy import Engine as Database
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.engine import Engine
from bot.i18n.localizer import Localizers
from bot.service.coordination import reload_flows, reload_report, tell_coordinators
from bot.service.desk import Desk, Handled
from bot.service.flows import FlowRegistry
from bot.service.incoming import Incoming
from bot.service.parents import Conversations
from bot.service.schools import SchoolCatalog
from bot.service.staff import StaffDesk
from bot.service.translations import StoredTranslations, Translations, dutch
from bot.service.translator import BackgroundTranslator
from bot.settings import Settings
from bot.storage.db import make_engine, session_factory
from bot.storage.migrate import upgrade
from bot.telegram.app import App, UpdateHandler, build_application, set_command_menus
from bot.telegram.dbwork import DatabaseWork
from bot.telegram.sender import Sender

log = logging.getLogger(__name__)

# How often the flows folder is looked at for changed files.
WATCH_SECONDS = 5.0


@dataclass
class Runtime:
    """Everything the running bot holds; built once per process."""

    settings: Settings
    database: Database
    sessions: sessionmaker[Session]
    registry: FlowRegistry
    schools: SchoolCatalog
    desk: Desk
    handler: UpdateHandler
    work: DatabaseWork[Incoming, Handled]
    localizers: Localizers
    translator: BackgroundTranslator
    # What the digest reads: the translations beside the parents' own words.
    translations: Translations = field(default_factory=StoredTranslations)
    sender: Sender | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self, application: App) -> None:
        """Start sending, watching the flows folder and listening for SIGHUP."""
        # The event loop and the database thread hand the GIL back and forth on every
        # update; Python's default 5 ms switch interval would add that much latency.
        sys.setswitchinterval(0.0005)
        # What start built (modules, flows, catalogs, the bot) lives as long as the process:
        # leave it out of the collector's full passes, which walked all of it and paused
        # the bot for up to 0.3 s under load (bench/bot.py).
        gc.collect()
        gc.freeze()
        self.sender = Sender(
            application.bot,
            self.sessions,
            self.work,
            reclaim_after=self.settings.outbox_reclaim_seconds,
        )
        self.handler.sender = self.sender
        await self.sender.start()
        # On SQLite a second writer makes both wait: the translator writes through ours.
        self.translator.start(lane=self.work.run)
        await set_command_menus(application, self.localizers)
        self._tasks.append(asyncio.create_task(self._watch_flows()))
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(
                signal.SIGHUP, lambda: asyncio.ensure_future(self.reload_and_tell())
            )
        except (NotImplementedError, RuntimeError, ValueError):
            log.info("SIGHUP reload is not available here; the folder is watched instead")

    async def stop(self) -> None:
        """Stop the background work; unsent messages stay in the outbox."""
        for task in self._tasks:
            task.cancel()
        self._tasks.clear()
        if self.sender is not None:
            await self.sender.stop()
        await asyncio.get_running_loop().run_in_executor(None, self.translator.stop)
        self.work.shutdown()
        self.database.dispose()

    async def reload_and_tell(self) -> None:
        """Reload the flows and tell the coordinators when a file was refused."""
        problems = await self.work.call(self.registry.reload)
        if any(p.is_error for p in problems):
            report = reload_report(self.registry, problems)
            queued = await self.work.call(
                tell_coordinators,
                self.sessions,
                self.settings.coordinator_ids,
                report,
            )
            if self.sender is not None:
                self.sender.submit(queued)

    async def healthy(self) -> bool:
        """Tell whether the database answers."""

        def ping() -> bool:
            with self.database.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True

        try:
            return await self.work.call(ping)
        except Exception:
            return False

    async def _watch_flows(self) -> None:
        seen = _stamps(self.settings.flows_dir)
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            now = _stamps(self.settings.flows_dir)
            if now != seen:
                seen = now
                log.info("flow files changed; reloading")
                await self.reload_and_tell()


def _stamps(folder: Path) -> dict[str, tuple[float, int]]:
    try:
        return {p.name: (p.stat().st_mtime, p.stat().st_size) for p in folder.glob("*.yaml")}
    except OSError:
        return {}


def build_runtime(settings: Settings) -> Runtime:
    """Upgrade the database, load flows and schools, and wire the desk."""
    url = settings.database
    upgrade(url)
    database = make_engine(url)
    sessions = session_factory(database)
    registry = FlowRegistry(sessions, settings.flows_dir)
    for problem in registry.reload():
        log.warning("%s", problem.format())
    schools = SchoolCatalog(sessions)
    log.info("%d schools known", schools.refresh())
    localizers = Localizers(settings.locales_dir)
    translator = background_translator(settings, sessions)
    conversations = Conversations(
        registry,
        Engine(schools),
        localizers,
        schools,
        settings.default_flow,
        # Until schools choose the language of their digest, every school reads Dutch.
        target_language=dutch,
    )
    staff = StaffDesk(registry, schools, localizers.get("nl"))
    # SQLite has one writer at a time: one thread does all database work, so writers
    # queue in Python instead of in SQLite's busy handler, which sleeps up to 100 ms.
    # PostgreSQL takes writers in parallel, but past a few threads they only fight over
    # the GIL (measured with bench/bot.py); more throughput comes from more workers.
    threads = 1 if url.startswith("sqlite") else 4
    desk = Desk(
        sessions,
        conversations,
        staff,
        frozenset(settings.coordinator_ids),
        reload_flows=partial(reload_flows, registry, schools),
        translator=translator,
    )
    work = DatabaseWork(desk.handle_batch, threads)
    handler = UpdateHandler(work)
    return Runtime(
        settings,
        database,
        sessions,
        registry,
        schools,
        desk,
        handler,
        work,
        localizers,
        translator,
    )


def background_translator(
    settings: Settings, sessions: sessionmaker[Session]
) -> BackgroundTranslator:
    """Build the translator of free text: Argos in a child process, behind a cache."""
    from bot.translation.argos import installed_signature
    from bot.translation.cache import CachedTranslator
    from bot.translation.process import ProcessTranslator

    folder = settings.translation_packages
    process = ProcessTranslator(folder, threads=settings.translation_threads)
    cached = CachedTranslator(process)
    return BackgroundTranslator(
        sessions,
        cached,
        capacity=settings.translation_queue_size,
        sweep_seconds=settings.translation_sweep_seconds,
        packages=partial(installed_signature, folder),
        on_packages_changed=cached.clear,
        on_stop=process.close,
    )


def application_for(runtime: Runtime, *, polling: bool) -> App:
    """Build the PTB application around a runtime."""
    settings = runtime.settings
    token = settings.telegram_bot_token
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")

    async def post_init(application: App) -> None:
        await runtime.start(application)

    async def post_shutdown(_application: App) -> None:
        await runtime.stop()

    return build_application(
        token.get_secret_value(),
        settings.telegram_api_base_url,
        runtime.handler,
        rate_limit=settings.telegram_rate_limit,
        polling=polling,
        post_init=post_init,
        post_shutdown=post_shutdown,
    )


async def webhook_lifespan(runtime: Runtime, application: App) -> AsyncIterator[None]:
    """Run the application for as long as the web server runs."""
    async with application:
        await application.start()
        await runtime.start(application)
        settings = runtime.settings
        if settings.webhook_url:
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            await application.bot.set_webhook(settings.webhook_url, secret_token=secret)
        try:
            yield
        finally:
            await runtime.stop()
            await application.stop()
