"""Build the running bot from the settings: storage, flows, schools, desk, Telegram, sender."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import Engine as Database
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.background.jobs import Jobs
from bot.background.retention import RetentionRules, erase_expired
from bot.clock import Clock, SystemClock
from bot.coordinators.flows import reload_flows, reload_report, tell_coordinators
from bot.digests.alerts import UrgentAlerts
from bot.digests.desk import DigestDesk
from bot.digests.mail import MailSender, SmtpServer
from bot.digests.recipients import StaffChats
from bot.engine.engine import Engine
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.localizer import Localizers
from bot.messages.incoming import Incoming
from bot.parents.conversation import Conversations
from bot.parents.privacy import values_from
from bot.parents.reminders import Reminders
from bot.reception.handled import Handled
from bot.reception.reception import Reception
from bot.schools.catalog import SchoolCatalog
from bot.settings import Settings
from bot.staff.desk import StaffDesk
from bot.staff.followup import FollowUps
from bot.storage import stored
from bot.storage.calls import DatabaseCalls
from bot.storage.db import make_engine, session_factory
from bot.storage.migrate import upgrade
from bot.storage.unit import Transactions
from bot.storage.work import DatabaseWork
from bot.telegram.app import App, UpdateHandler, build_application, set_command_menus
from bot.telegram.sender import Sender
from bot.translation.requests import StoredTranslations
from bot.translation.worker import BackgroundTranslator

log = logging.getLogger(__name__)

# How often the flows folder is looked at for changed files.
WATCH_SECONDS = 5.0
# Each flow file's modification time and size, by name: what the watcher compares.
Stamps = dict[str, tuple[float, int]]


@dataclass
class Runtime:
    """Everything the running bot holds; built once per process."""

    settings: Settings
    database: Database
    sessions: sessionmaker[Session]
    registry: FlowRegistry
    schools: SchoolCatalog
    desk: Reception
    handler: UpdateHandler
    work: DatabaseWork[Incoming, Handled]
    localizers: Localizers
    translator: BackgroundTranslator
    clock: Clock
    digests: DigestDesk
    staff_chats: StaffChats
    mail: MailSender | None = None
    sender: Sender | None = None
    jobs: Jobs | None = None
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
        # Commands run later without Telegram (`schools links`) make links with it.
        await self.work.call(remember_username, self.sessions, application.bot.username)
        self.sender = Sender(
            application.bot,
            self.sessions,
            self.work,
            reclaim_after=self.settings.outbox_reclaim_seconds,
            on_forbidden=self.staff_chats.blocked,
        )
        self.handler.sender = self.sender
        await self.sender.start()
        # On SQLite a second writer makes both wait: the translator writes through ours.
        self.translator.start(lane=self.work.run)
        await set_command_menus(application, self.localizers)
        self.jobs = self.jobs_for(self.sender)
        self.jobs.start()
        # Look at the folder now, not when the task first runs: a file saved in between
        # would otherwise count as already seen and never be checked.
        seen = _stamps(self.settings.flows_dir)
        self._tasks.append(asyncio.create_task(self._watch_flows(seen)))
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(
                signal.SIGHUP, lambda: asyncio.ensure_future(self.reload_and_tell())
            )
        except (NotImplementedError, RuntimeError, ValueError):
            log.info("SIGHUP reload is not available here; the folder is watched instead")

    async def stop(self) -> None:
        """Stop the background work; unsent messages stay in the outbox."""
        if self.jobs is not None:
            self.jobs.stop()
        for task in self._tasks:
            task.cancel()
        self._tasks.clear()
        if self.sender is not None:
            await self.sender.stop()
        await asyncio.get_running_loop().run_in_executor(None, self.translator.stop)
        self.work.shutdown()
        self.database.dispose()

    def jobs_for(self, sender: Sender) -> Jobs:
        """Return the timed work (digests, e-mail, reminders, retention) around a sender."""
        settings = self.settings
        reminders = Reminders(
            self.sessions,
            self.localizers,
            self.clock,
            timedelta(hours=settings.reminder_after_hours),
        )
        return Jobs(
            digests=self.digests,
            reminders=reminders,
            retention=partial(
                erase_expired,
                self.sessions,
                self.clock,
                RetentionRules.from_settings(settings),
                self.digests,
            ),
            submit=sender.submit,
            database=self.work,
            mail=self.mail,
            digest_seconds=settings.digest_check_seconds,
        )

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

    async def _watch_flows(self, seen: Stamps) -> None:
        folder = self.settings.flows_dir
        await watch_folder(folder, self.reload_and_tell, self._reload_failed, seen=seen)

    async def _reload_failed(self, error: Exception) -> None:
        text = (
            f"Herladen van de vragenlijsten is mislukt ({type(error).__name__}); de vorige "
            "versies blijven in gebruik. Controleer met: ouderbrug flows check. "
            "Het log van de bot zegt meer."
        )
        queued = await self.work.call(
            tell_coordinators, self.sessions, self.settings.coordinator_ids, text
        )
        if self.sender is not None:
            self.sender.submit(queued)


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
        seen = _stamps(folder)
    while True:
        await asyncio.sleep(seconds)
        now = _stamps(folder)
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


def remember_username(sessions: sessionmaker[Session], username: str) -> None:
    """Store the bot's username as Telegram's getMe gave it."""
    with sessions.begin() as db:
        stored.remember(db, stored.BOT_USERNAME, username)


def _stamps(folder: Path) -> Stamps:
    try:
        stats = {p.name: p.stat() for p in folder.glob("*.yaml")}
    except OSError:
        return {}
    return {name: (stat.st_mtime, stat.st_size) for name, stat in stats.items()}


def mail_sender(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: Clock,
    database: DatabaseCalls | None = None,
) -> MailSender | None:
    """Return the e-mail sender when SMTP_URL is set (ValueError when it cannot be read)."""
    if settings.smtp is None:
        return None
    server = SmtpServer.from_url(settings.smtp, settings.smtp_from)
    return MailSender(sessions, server, clock, database=database)


def digest_desk(
    settings: Settings,
    sessions: sessionmaker[Session],
    registry: FlowRegistry,
    localizers: Localizers,
    clock: Clock,
) -> DigestDesk:
    """Return the digest desk; e-mail is part of the digests only when SMTP is configured."""
    return DigestDesk(
        sessions,
        registry,
        localizers,
        clock,
        open_days=settings.followup_open_days,
        mail=settings.smtp is not None,
        # The parents' own words, and beside them the translations made on this machine.
        translations=StoredTranslations(),
    )


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    """Upgrade the database, load flows and schools, and wire the desk."""
    clock = clock or SystemClock()
    url = settings.database
    upgrade(url)
    database = make_engine(url)
    sessions = session_factory(database)
    if not settings.privacy_url:
        log.warning("PRIVACY_URL is not set: the consent question links no privacy statement")
    registry = FlowRegistry(sessions, settings.flows_dir, settings.locales_dir)
    for problem in registry.reload():
        log.warning("%s", problem.format())
    schools = SchoolCatalog(sessions)
    log.info("%d schools known", schools.refresh())
    localizers = Localizers(settings.locales_dir)
    translator = background_translator(settings, sessions)
    staff_chats = StaffChats(sessions, clock, settings.coordinator_ids, settings.coordinator_emails)
    alerts = UrgentAlerts(registry, localizers, clock, staff_chats, mail=settings.smtp is not None)
    conversations = Conversations(
        registry,
        Engine(schools, values_from(settings)),
        localizers,
        schools,
        settings.default_flow,
        digests=digest_desk(settings, sessions, registry, localizers, clock),
    )
    staff = StaffDesk(registry, schools, localizers.get("nl"))
    # SQLite has one writer at a time: one thread does all database work, so writers
    # queue in Python instead of in SQLite's busy handler, which sleeps up to 100 ms.
    # PostgreSQL takes writers in parallel, but past a few threads they only fight over
    # the GIL (measured with bench/bot.py); more throughput comes from more workers.
    threads = 1 if url.startswith("sqlite") else 4
    desk = Reception(
        Transactions(sessions),
        conversations,
        staff,
        frozenset(settings.coordinator_ids),
        reload_flows=partial(reload_flows, registry, schools),
        translator=translator,
        followups=FollowUps(localizers, clock),
        alerts=alerts,
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
        clock,
        digest_desk(settings, sessions, registry, localizers, clock),
        staff_chats,
        mail_sender(settings, sessions, clock, work),
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
        share=settings.translation_share,
    )


def application_for(runtime: Runtime) -> App:
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
        rate_limit=settings.telegram_rate_limit,
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
