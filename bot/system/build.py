"""The composition root: the one place that builds the running system from the settings.

Every entry point asks it for what it needs: the webhook server and polling (the whole
bot), the commands (the database, the digests), the demo and the tests. Parts are built
on first use, each complete, in the order they need each other: the Sender exists before
the handler that is given it, and nothing is handed over afterwards. Building starts
nothing: no connection, no Telegram call, no thread, no child process; starting and
stopping what runs is bot.system.lifecycle's.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property, partial
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from telegram.request import BaseRequest

from bot.background.jobs import Jobs
from bot.background.retention import RetentionRules, erase_expired
from bot.broadcasts.delivery import Pace
from bot.broadcasts.rounds import BroadcastRounds
from bot.broadcasts.sending import Broadcasts
from bot.clock import PROCESS, Clock, SystemClock
from bot.conversations.outcomes import delivery_ended
from bot.conversations.relay import Relay
from bot.dashboard.app import configured_dashboard
from bot.digests.composer import Composer
from bot.digests.mail import MailSender, SmtpServer
from bot.digests.recipients import StaffChats
from bot.digests.rounds import DigestRounds
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.languages import offered_codes
from bot.i18n.localizer import Localizers
from bot.messages.incoming import Incoming
from bot.outbox.delivery import Outbox
from bot.outbox.recall import remember_copy
from bot.parents.reminders import Reminders
from bot.reception.handled import Handled
from bot.reception.reception import Reception
from bot.schools.catalog import SchoolCatalog
from bot.settings import Settings
from bot.storage.unit import Transactions
from bot.storage.work import DatabaseWork
from bot.system.broadcasting import broadcasts
from bot.system.desk import front_desk
from bot.system.storage import Storage, storage
from bot.system.translators import background_translator, interactive_translator
from bot.telegram.app import App, UpdateHandler, build_application
from bot.telegram.sender import Sender
from bot.translation.ports import MachineTranslator
from bot.translation.worker import BackgroundTranslator
from bot.voice.speech import Synthesizer
from bot.voice.voices import Voices

if TYPE_CHECKING:
    from bot.translation.argos import ArgosTranslator


class System:
    """Every part of the bot, each built complete the first time it is asked for."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        *,
        transport: BaseRequest | None = None,
        storage: Storage | None = None,
        translator: BackgroundTranslator | None = None,
        interactive: MachineTranslator | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._transport = transport
        self._storage = storage
        self._translator = translator
        self._interactive = interactive

    @cached_property
    def storage(self) -> Storage:
        """The database: engine, sessions and transactions."""
        return self._storage or storage(self.settings)

    @property
    def transactions(self) -> Transactions:
        """Where use cases open their unit of work."""
        return self.storage.transactions

    @cached_property
    def registry(self) -> FlowRegistry:
        """The flows, as stored revisions; lifecycle.prepare loads the folder into it."""
        return FlowRegistry(
            self.storage.transactions, self.settings.flows_dir, self.settings.locales_dir
        )

    @cached_property
    def schools(self) -> SchoolCatalog:
        """The schools parents can arrive from; lifecycle.prepare reads them."""
        return SchoolCatalog(self.storage.sessions)

    @cached_property
    def localizers(self) -> Localizers:
        """The gettext catalogs, one per language."""
        settings = self.settings
        return Localizers(settings.locales_dir, offered_codes(settings.languages))

    @cached_property
    def staff_chats(self) -> StaffChats:
        """Who hears of a school: its staff's chats, the coordinators."""
        settings = self.settings
        return StaffChats(
            self.storage.transactions,
            self.clock,
            settings.coordinator_ids,
            settings.coordinator_emails,
        )

    @cached_property
    def digests(self) -> DigestRounds:
        """The digests; e-mail is part of them only when SMTP is configured."""
        composer = Composer(self.registry, self.localizers, self.clock)
        return DigestRounds(
            self.storage.transactions,
            composer,
            self.clock,
            open_days=self.settings.followup_open_days,
            mail=self.settings.smtp is not None,
        )

    @cached_property
    def translator(self) -> BackgroundTranslator:
        """The translator of free text, unstarted: its child process starts with the bot."""
        return self._translator or background_translator(self.settings, self.storage)

    @cached_property
    def relay(self) -> Relay:
        """The conversations' translator and carrier, on a model process of its own."""
        if self._interactive is not None:
            translator, close = self._interactive, None
        else:
            translator, close = interactive_translator(self.settings)
        return Relay(
            self.storage.transactions,
            translator,
            self.localizers,
            self.schools,
            self.clock,
            close=close,
        )

    @cached_property
    def packages(self) -> ArgosTranslator:
        """The machine translation packages installed here; no model loads until used."""
        from bot.translation.argos import ArgosTranslator

        return ArgosTranslator(self.settings.translation_packages)

    @cached_property
    def broadcasts(self) -> Broadcasts:
        """Messages to many families, translated here once per language."""
        return broadcasts(self.transactions, self.localizers, self.packages, self.registry)

    @cached_property
    def reception(self) -> Reception:
        """The front desk every update goes through."""
        return front_desk(self)

    @cached_property
    def dashboard(self) -> Starlette:
        """The web dashboard, to be mounted at /dashboard; nothing runs until it is served."""
        return configured_dashboard(
            self.settings, self.storage.transactions, self.clock, self.registry, self.localizers
        )

    @cached_property
    def work(self) -> DatabaseWork[Incoming, Handled]:
        """The threads all database work runs on (started with their first piece of work)."""
        # SQLite has one writer at a time: one thread does all database work, so writers
        # queue in Python instead of in SQLite's busy handler, which sleeps up to 100 ms.
        # PostgreSQL takes writers in parallel, but past a few threads they only fight over
        # the GIL (measured with bench/bot.py); more throughput comes from more workers.
        threads = 1 if self.settings.database.startswith("sqlite") else 4
        return DatabaseWork(self.reception.handle_batch, threads)

    @cached_property
    def telegram(self) -> App:
        """The PTB application: the bot, rate limited (ValueError without a token)."""
        token = self.settings.telegram_bot_token
        if token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        return build_application(
            token.get_secret_value(),
            self.settings.telegram_api_base_url,
            rate_limit=self.settings.telegram_rate_limit,
            transport=self._transport,
        )

    @cached_property
    def sender(self) -> Outbox:
        """The sender of what the outbox holds, on the database threads."""
        return Outbox(
            Sender(self.telegram.bot, self.voices, self._played),
            self.storage.transactions,
            self.work,
            reclaim_after=self.settings.outbox_reclaim_seconds,
            on_forbidden=self.staff_chats.blocked,
            followers=delivery_ended,
        )

    async def _played(self, families: tuple[int, ...], chat_id: int, message_id: int) -> None:
        """Store where a family's voice note was played, on the database threads."""
        await self.work.call(
            remember_copy, self.storage.transactions, families, chat_id, message_id
        )

    @cached_property
    def voices(self) -> Voices:
        """The voice notes of read-aloud questions: recordings, else speech made here."""
        settings = self.settings
        speech = Synthesizer(settings.espeak_path, settings.opusenc_path)
        return Voices(speech, settings.voice_cache, settings.locales_dir)

    @cached_property
    def handler(self) -> UpdateHandler:
        """What the webhook and polling hand each update to."""
        return UpdateHandler(self.work, self.sender)

    @cached_property
    def mail(self) -> MailSender | None:
        """The e-mail sender when SMTP_URL is set (ValueError when it cannot be read)."""
        settings = self.settings
        if settings.smtp is None:
            return None
        server = SmtpServer.from_url(settings.smtp, settings.smtp_from)
        return MailSender(self.storage.transactions, server, self.clock, database=self.work)

    @cached_property
    def jobs(self) -> Jobs:
        """The timed work (digests, e-mail, reminders, retention), unscheduled."""
        settings = self.settings
        transactions = self.storage.transactions
        reminders = Reminders(
            transactions,
            self.localizers,
            self.clock,
            timedelta(hours=settings.reminder_after_hours),
        )
        rules = RetentionRules.from_settings(settings)
        return Jobs(
            digests=self.digests,
            reminders=reminders,
            retention=partial(erase_expired, transactions, self.clock, rules, self.digests),
            submit=self.sender.submit,
            database=self.work,
            mail=self.mail,
            broadcasts=self.broadcast_rounds.run,
            digest_seconds=settings.digest_check_seconds,
        )

    @cached_property
    def broadcast_rounds(self) -> BroadcastRounds:
        """Staff's confirmed broadcasts, paced through the bot's own sender."""
        pace = Pace(self.settings.broadcast_rate, self.settings.outbox_reclaim_seconds)
        texts = self.localizers.get("nl")  # staff read Dutch
        return BroadcastRounds(
            self.broadcasts, self.transactions, self.sender, self.work, pace, texts
        )


def build_system(
    settings: Settings,
    *,
    clock: Clock | None = None,
    transport: BaseRequest | None = None,
    storage: Storage | None = None,
    translator: BackgroundTranslator | None = None,
    interactive: MachineTranslator | None = None,
) -> System:
    """Build the system from the settings; the outside parties may be given instead.

    `clock` tells the time (the computer's by default) to every part and to the rows the
    database stamps (bot.clock.PROCESS), `transport` carries the Bot API
    calls (aiohttp to TELEGRAM_API_BASE_URL), `storage` is the database (the settings'),
    `translator` takes parents' free text (Argos in a child process), `interactive`
    translates conversation messages (Argos in a child process of its own).
    """
    clock = clock or SystemClock()
    # Rows stamped by the database's column defaults read the same time as every part.
    PROCESS.use(clock)
    return System(
        settings,
        clock,
        transport=transport,
        storage=storage,
        translator=translator,
        interactive=interactive,
    )
