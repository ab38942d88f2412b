"""Store a broadcast and queue each family's copy once, in the transaction that marks it.

A crash at any moment leaves each family either with its row and its outbox message, or
with neither: the same broadcast resumed (its key is its audience and text) queues only
the families without a row, and the outbox sends what is queued exactly as it sends any
other message (bot/outbox/).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot.broadcasts.compose import Needs, Translate, Version, message, versions, wanted
from bot.engine.ports import Localizer
from bot.messages.replies import Replies
from bot.storage.models import Broadcast, School, utcnow
from bot.storage.queue import Queued
from bot.storage.repositories.broadcasts import Household, Tally
from bot.storage.unit import Transactions

log = logging.getLogger(__name__)

# Families queued per transaction when the caller does not say: one commit for many,
# short enough not to hold the write lock (SQLite) while parents' answers wait for it.
BATCH = 50


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a broadcast is for: one school, or a municipality's; all families or one need."""

    code: str | None = None
    municipality: str | None = None
    need: str | None = None

    @property
    def scope(self) -> str:
        """Return the schools as named: the code, or the municipality."""
        return self.code or f"gemeente {self.municipality}"


@dataclass(frozen=True, slots=True)
class Plan:
    """What a broadcast will send: its schools, its families, the text per language."""

    key: str
    schools: tuple[School, ...]
    households: tuple[Household, ...]
    versions: dict[str, Version] = field(default_factory=dict)

    def count(self, language: str) -> int:
        """Return how many families read the message in this language."""
        return sum(1 for h in self.households if h.language == language)


class NoSchoolError(LookupError):
    """No school has the code, or the municipality has no school in the list."""


class Broadcasts:
    """Plans, stores and queues broadcasts; the caller hands the queued copies to a sender."""

    def __init__(
        self,
        transactions: Transactions,
        localizer: Callable[[str], Localizer],
        translate: Translate,
        needs: Needs,
        *,
        source: str = "nl",
    ) -> None:
        self._transactions = transactions
        self._localizer = localizer
        self._translate = translate
        self._needs = needs
        self._source = source

    def plan(self, audience: Audience, text: str, *, key: str | None = None) -> Plan:
        """Find the families and translate the text into each of their languages."""
        with self._transactions.read() as unit:
            schools = unit.broadcasts.schools(audience.code, audience.municipality)
            if not schools:
                raise NoSchoolError(audience.scope)
            households = [
                h
                for h in unit.broadcasts.households(schools)
                if wanted(h.responses, audience.need, self._needs)
            ]
        found = versions(text, self._source, (h.language for h in households), self._translate)
        key = key or broadcast_key(audience, text, self._source)
        return Plan(key, tuple(schools), tuple(households), found)

    def start(self, audience: Audience, text: str, plan: Plan, staff_id: int | None = None) -> int:
        """Store the broadcast (or find it, when resumed); return its id."""
        try:
            with self._transactions.begin() as unit:
                found = unit.broadcasts.find(plan.key)
                if found is not None:
                    return found.id
                broadcast = Broadcast(
                    key=plan.key,
                    scope=audience.scope,
                    need=audience.need,
                    language=self._source,
                    text=text,
                    staff_id=staff_id,
                )
                return unit.broadcasts.add(broadcast).id
        except IntegrityError:
            # The same command started at the same moment elsewhere: resume its broadcast.
            with self._transactions.read() as unit:
                again = unit.broadcasts.find(plan.key)
                if again is None:
                    raise
                return again.id

    def queue(
        self, broadcast_id: int, plan: Plan, size: Callable[[], int] = lambda: BATCH
    ) -> Iterator[list[Queued]]:
        """Queue each family not reached yet, a batch per transaction; yield each batch.

        `size` says, before each batch, how many families it may hold: the caller paces
        the broadcast by it, queuing only as fast as it sends.
        """
        with self._transactions.read() as unit:
            reached = unit.broadcasts.reached(broadcast_id)
        waiting = [h for h in plan.households if h.parent_id not in reached]
        while waiting:
            count = max(1, size())
            batch, waiting = waiting[:count], waiting[count:]
            try:
                yield self._queue_batch(broadcast_id, plan, batch)
            except IntegrityError:
                # Another process queued some of them meanwhile: rolled back whole, so
                # again without the families it has.
                with self._transactions.read() as unit:
                    reached = unit.broadcasts.reached(broadcast_id)
                yield self._queue_batch(
                    broadcast_id, plan, [h for h in batch if h.parent_id not in reached]
                )

    def take_over(
        self, broadcast_id: int, claimed_before: datetime, held: frozenset[int] = frozenset()
    ) -> list[Queued]:
        """Claim anew the copies a sender that went away left unsent (not those held here)."""
        with self._transactions.begin() as unit:
            return unit.broadcasts.abandoned(broadcast_id, claimed_before, utcnow(), held)

    def tally(self, broadcast_id: int) -> Tally:
        """Count the copies: queued, delivered, blocked, failed, not translated."""
        with self._transactions.read() as unit:
            return unit.broadcasts.tally(broadcast_id)

    def _queue_batch(self, broadcast_id: int, plan: Plan, batch: list[Household]) -> list[Queued]:
        queued: list[Queued] = []
        with self._transactions.begin() as unit:
            for household in batch:
                version = plan.versions[household.language]
                texts = self._localizer(household.language)
                replies = Replies(household.chat_id)
                replies.send(message(version, self._source, household.school_name, texts))
                items = unit.outbox.queue(household.chat_id, replies.items, household.parent_id)
                # The last part: lanes send a chat's messages in order, so once it is
                # sent, so are the parts before it.
                unit.broadcasts.mark(
                    broadcast_id,
                    household.parent_id,
                    items[-1],
                    household.language,
                    version.translated,
                )
                queued += items
            unit.flush()
        return queued


def broadcast_key(audience: Audience, text: str, source: str) -> str:
    """Return the key the same command finds its broadcast by: audience, language, text."""
    identity = [audience.code, (audience.municipality or "").lower(), audience.need, source, text]
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()
