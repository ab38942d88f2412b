"""The bot's timed work on APScheduler: due digests, e-mail, reminders and retention.

What is due is decided from the database, not from the scheduler's memory: a digest
missed while the bot was down is found at the first pass after the start, a schedule
changed by `ouderbrug schools set` counts at once, and several processes agree
because the database claim decides which of them makes each digest.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import AMSTERDAM
from bot.storage.queue import Queued
from bot.storage.work import DatabaseCalls

log = logging.getLogger(__name__)
T = TypeVar("T")

MAIL_SECONDS = 15.0
REMINDER_SECONDS = 300.0
# A confirmed /bericht starts within this long.
BROADCAST_SECONDS = 2.0


class DueDigests(Protocol):
    """The digest rounds (bot.digests.rounds.DigestRounds)."""

    def run_due(self) -> list[Queued]:
        """Make the digests that are due; return what to send."""
        ...


class DueReminders(Protocol):
    """The reminders of unfinished sessions (bot.parents.reminders.Reminders)."""

    def run(self) -> list[Queued]:
        """Queue the reminders that are due; return what to send."""
        ...


class DueMail(Protocol):
    """The e-mail sender (bot.digests.mail.MailSender)."""

    async def send_due(self, digest_id: int | None = None) -> int:
        """Send the e-mails that are due; return how many went out."""
        ...


@dataclass
class Jobs:
    """Runs the timed work on the bot's event loop; database work on the bot's database threads."""

    digests: DueDigests
    reminders: DueReminders
    retention: Callable[[], object]
    submit: Callable[[list[Queued]], None]
    database: DatabaseCalls
    mail: DueMail | None = None
    # Staff's confirmed broadcasts (/bericht), sent paced by the bot's own sender.
    broadcasts: Callable[[], Awaitable[None]] | None = None
    digest_seconds: float = 30.0
    scheduler: AsyncIOScheduler | None = None

    def start(self) -> None:
        """Start the scheduler; the first digest pass runs at once, for missed digests."""
        scheduler = AsyncIOScheduler(
            timezone=AMSTERDAM,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        now = datetime.now(AMSTERDAM)
        scheduler.add_job(
            self.digest_pass,
            IntervalTrigger(seconds=self.digest_seconds, timezone=AMSTERDAM),
            id="digests",
            next_run_time=now,
        )
        if self.mail is not None:
            scheduler.add_job(
                self.mail_pass,
                IntervalTrigger(seconds=MAIL_SECONDS, timezone=AMSTERDAM),
                id="mail",
                next_run_time=now,
            )
        scheduler.add_job(
            self.reminder_pass,
            IntervalTrigger(seconds=REMINDER_SECONDS, timezone=AMSTERDAM),
            id="reminders",
        )
        if self.broadcasts is not None:
            # At start too: a broadcast cut off by a restart goes on at once.
            scheduler.add_job(
                self.broadcasts,
                IntervalTrigger(seconds=BROADCAST_SECONDS, timezone=AMSTERDAM),
                id="broadcasts",
                next_run_time=now,
            )
        # At start too: a bot that is not running at 03:17 (a laptop, a daily restart)
        # must still erase what has served its purpose.
        scheduler.add_job(
            self.retention_pass,
            CronTrigger(hour=3, minute=17, timezone=AMSTERDAM),
            id="retention",
            next_run_time=now,
        )
        scheduler.start()
        self.scheduler = scheduler

    def stop(self) -> None:
        """Stop the scheduler; a pass under way finishes in its executor thread."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None

    async def digest_pass(self) -> None:
        """Make the digests that are due and hand their messages to the sender."""
        queued = await self._db(self.digests.run_due)
        self.submit(queued)
        if self.mail is not None and queued:
            await self.mail.send_due()

    async def mail_pass(self) -> None:
        """Send the e-mails that are due."""
        if self.mail is not None:
            await self.mail.send_due()

    async def reminder_pass(self) -> None:
        """Queue and hand over the reminders that are due."""
        self.submit(await self._db(self.reminders.run))

    async def retention_pass(self) -> None:
        """Erase what is kept longer than needed."""
        await self._db(self.retention)

    async def _db(self, work: Callable[..., T], *arguments: Any) -> T:
        return await self.database.call(work, *arguments)
