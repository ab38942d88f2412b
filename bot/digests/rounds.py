"""The digest rounds: find each school's digest that is due and make it exactly once.

Each school's digest is made in its own transaction, with the school locked: several
processes agree because the lock and the stored due time decide which of them makes it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.clock import Clock, aware
from bot.digests.composer import Composer
from bot.digests.making import Made, families_of, make_digest
from bot.digests.render import mail_body
from bot.digests.rewrite import rewrite_digest
from bot.digests.schedule import ScheduleError, parse_schedule
from bot.storage import models
from bot.storage.models import School
from bot.storage.queue import Queued
from bot.storage.unit import Transactions, UnitOfWork

log = logging.getLogger(__name__)

# How many schools one pass over the due digests takes; the rest wait for the next pass.
BATCH = 200


class DigestRounds:
    """Finds the digests that are due and makes each of them exactly once."""

    def __init__(
        self,
        transactions: Transactions,
        composer: Composer,
        clock: Clock,
        *,
        open_days: float,
        mail: bool,
    ) -> None:
        self._transactions = transactions
        self._composer = composer
        self._clock = clock
        self._open_after = timedelta(days=open_days)
        self._mail = mail

    def run_due(self) -> list[Queued]:
        """Make every digest whose time has come (missed ones too); return what to send."""
        with self._transactions.read() as unit:
            codes = unit.digests.due(self._clock.now(), BATCH)
        queued: list[Queued] = []
        for code in codes:
            try:
                made = self._scheduled(code)
            except Exception:
                # One school's problem must not hold up every other school's digest.
                log.exception("the digest of school %s failed; it is tried again", code)
                continue
            if made is not None:
                queued += made.queued
        return queued

    def send_now(self, code: str) -> Made | None:
        """Make a school's digest now, outside its schedule; None when there is nothing to send."""
        with self._transactions.begin() as unit:
            school = unit.digests.school(code, locked=True)
            if school is None:
                raise LookupError(code)
            return self._make(unit, school, self._clock.now())

    def preview(self, code: str) -> str:
        """Return the school's next digest as text, changing nothing."""
        with self._transactions.read() as unit:
            school = unit.digests.school(code)
            if school is None:
                raise LookupError(code)
            new, still_open = families_of(unit, school, self._clock.now() - self._open_after)
            digest = self._composer.build(unit, school, new, still_open)
            return mail_body(digest, self._composer.texts(school))

    def without(self, unit: UnitOfWork, digest_id: int, erased: frozenset[int]) -> None:
        """Rewrite a digest's unsent parts and e-mail without the erased families."""
        rewrite_digest(unit, self._composer, digest_id, erased)

    def _scheduled(self, code: str) -> Made | None:
        with self._transactions.begin() as unit:
            school = unit.digests.school(code, locked=True)
            now = self._clock.now()
            if school is None:
                return None
            try:
                schedule = parse_schedule(school.digest_schedule)
            except ScheduleError:
                log.error("school %s has an unreadable digest schedule; using the default", code)
                schedule = parse_schedule(models.DEFAULT_SCHEDULE)
            due_at = school.digest_due_at
            if due_at is None:
                # First look at this school: its first digest is at its next scheduled time.
                school.digest_due_at = schedule.next_after(now)
                return None
            if aware(due_at) > now:
                return None  # another process made this one while we waited for the lock
            # Missed times (the bot was down) come together in one digest, now.
            school.digest_due_at = schedule.next_after(now)
            return self._make(unit, school, aware(due_at))

    def _make(self, unit: UnitOfWork, school: School, due_at: datetime) -> Made | None:
        now = self._clock.now()
        emails = list(school.digest_emails or ()) if self._mail else []
        return make_digest(
            unit, self._composer, school, due_at, now, now - self._open_after, emails
        )
