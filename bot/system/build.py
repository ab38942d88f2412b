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

from telegram.request import BaseRequest

from bot.background.jobs import Jobs
from bot.background.retention import RetentionRules, erase_expired
from bot.clock import PROCESS, Clock, SystemClock
from bot.conversations.outcomes import delivery_ended
from bot.conversations.relay import Relay
from bot.conversations.room import ConversationRoom
from bot.coordinators.flows import reload_flows
from bot.digests.alerts import UrgentAlerts
from bot.digests.composer import Composer
from bot.digests.mail import MailSender, SmtpServer
from bot.digests.recipients import StaffChats
from bot.digests.rounds import DigestRounds
from bot.engine.engine import Engine
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.localizer import Localizers
from bot.messages.incoming import Incoming
from bot.outbox.delivery import Outbox
from bot.parents.conversation import Conversations
from bot.parents.privacy import values_from
from bot.parents.reminders import Reminders
from bot.reception.handled import Handled
from bot.reception.reception import Reception
from bot.schools.catalog import SchoolCatalog
from bot.settings import Settings
from bot.staff.followup import FollowUps
from bot.staff.school_staff import SchoolStaff
from bot.storage.unit import Transactions
from bot.storage.work import DatabaseWork
from bot.system.storage import Storage, storage
from bot.system.translators import background_translator, interactive_translator
from bot.telegram.app import App, UpdateHandler, build_application
from bot.telegram.sender import Sender
from bot.translation.ports import MachineTranslator
from bot.translation.worker import BackgroundTranslator

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
        return Localizers(self.settings.locales_dir)

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
    def reception(self) -> Reception:
        """The front desk every update goes through."""
        settings = self.settings
        alerts = UrgentAlerts(
            self.registry,
            self.localizers,
            self.clock,
            self.staff_chats,
            mail=settings.smtp is not None,
        )
        conversations = Conversations(
            self.registry,
            Engine(self.schools, values_from(settings)),
            self.localizers,
            self.schools,
            settings.default_flow,
            digests=self.digests,
        )
        return Reception(
            self.storage.transactions,
            conversations,
            SchoolStaff(self.registry, self.schools, self.localizers.get("nl")),
            frozenset(settings.coordinator_ids),
            reload_flows=partial(reload_flows, self.registry, self.schools),
            translator=self.translator,
            followups=FollowUps(self.localizers, self.clock),
            alerts=alerts,
            talk=ConversationRoom(self.localizers, self.clock, self.schools),
            relay=self.relay,
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
            Sender(self.telegram.bot),
            self.storage.transactions,
            self.work,
            reclaim_after=self.settings.outbox_reclaim_seconds,
            on_forbidden=self.staff_chats.blocked,
            followers=delivery_ended,
        )

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
            digest_seconds=settings.digest_check_seconds,
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
