"""The claims one sender holds on outbox messages: taken, renewed, checked before a send."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.messages.replies import Reply
from bot.storage.models import utcnow
from bot.storage.queue import Queued
from bot.storage.unit import Transactions, UnitOfWork
from bot.storage.work import DatabaseCalls

log = logging.getLogger(__name__)

# A claim younger than this share of the reclaim time is surely still ours: no sweep
# anywhere takes it before the whole time has passed (clocks may differ by the rest).
SURE_SHARE = 0.5
# Claims held this long (as a share of the reclaim time) are renewed, this often.
RENEW_SHARE = 0.25
# How many claims one renewal statement names.
RENEW_AT_ONCE = 500
# How many abandoned messages one sweep takes over.
SWEEP_AT_ONCE = 1000


@dataclass(slots=True)
class _Lease:
    """What this sender knows about its claim on one outbox message."""

    claim: int
    # time.monotonic() when the claim was last known to be ours.
    since: float
    # Another sender took the message over: this one must not send it.
    lost: bool = False


class Claims:
    """The outbox messages one sender holds (in a lane, or being sent), by outbox id.

    A claim is the outbox row's `claim` number with `claimed_at`: a sweep anywhere takes
    over a message whose claim is older than the reclaim time, and numbers it anew. The
    holder renews what it holds long before that, and before a send compares its number
    with the stored one whenever its claim is old enough that it might have been taken.
    """

    def __init__(
        self, transactions: Transactions, database: DatabaseCalls, reclaim_after: float
    ) -> None:
        self._transactions = transactions
        self._database = database
        self._reclaim_after = reclaim_after
        self._leases: dict[int, _Lease] = {}

    def take(self, item: Queued) -> bool:
        """Start holding a queued message; False when it is held already."""
        if item.outbox_id in self._leases:
            return False
        self._leases[item.outbox_id] = _Lease(item.claim, item.claimed)
        return True

    def release(self, outbox_id: int) -> None:
        """Stop holding a message: it was sent, given up, or left for a later sweep."""
        self._leases.pop(outbox_id, None)

    def held(self) -> frozenset[int]:
        """Return the ids of the messages held now."""
        return frozenset(self._leases)

    async def holds(self, item: Queued) -> bool:
        """Tell whether the message's claim is still ours, right before sending it."""
        lease = self._leases.get(item.outbox_id)
        if lease is None or lease.lost:
            return False
        # A message about families is checked every time: erasing one of them deletes or
        # rewrites it (numbering its claim anew) while it may be waiting in a lane.
        young = time.monotonic() - lease.since < self._reclaim_after * SURE_SHARE
        if young and not item.reply.carrying:
            return True
        await self.renew([item.outbox_id])
        return not lease.lost

    async def keep(self) -> None:
        """Renew the claims held a while, for as long as this runs (a flood wait, a long lane)."""
        period = self._reclaim_after * RENEW_SHARE
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            old = [i for i, lease in self._leases.items() if now - lease.since >= period]
            for start in range(0, len(old), RENEW_AT_ONCE):
                try:
                    await self.renew(old[start : start + RENEW_AT_ONCE])
                except Exception:
                    log.exception("renewing the claims on outbox messages failed")

    async def renew(self, outbox_ids: list[int]) -> None:
        """Renew our claims on these messages; note the ones another sender took over."""
        leases = {i: self._leases[i] for i in outbox_ids if i in self._leases}
        held = [(i, lease.claim) for i, lease in leases.items() if not lease.lost]
        if not held:
            return
        started = time.monotonic()
        still_ours = await self._database.call(self._write_renewal, held)
        for outbox_id, _ in held:
            # A lease released meanwhile is no longer in self._leases: changing it is harmless.
            lease = leases[outbox_id]
            if outbox_id in still_ours:
                lease.since = started
            else:
                lease.lost = True

    def take_over_stale(self, held: frozenset[int]) -> list[Queued]:
        """Claim anew the unsent messages whose claim ran out (in a database thread)."""
        cutoff = utcnow() - timedelta(seconds=self._reclaim_after)
        with self._transactions.begin() as unit:
            return take_over(unit, cutoff, held)

    def _write_renewal(self, held: list[tuple[int, int]]) -> set[int]:
        """Renew the claims still numbered as we took them; return the ids of those."""
        with self._transactions.begin() as unit:
            return unit.outbox_rows.renew(held, utcnow())


def take_over(unit: UnitOfWork, cutoff: datetime, held: frozenset[int]) -> list[Queued]:
    """Claim anew the unsent messages unclaimed since `cutoff`, except those held here.

    A row whose payload cannot be read is given up: written by another version, say, it
    never will be read, and left unsent it would fail every sweep.
    """
    rows = unit.outbox_rows.abandoned(cutoff, SWEEP_AT_ONCE)
    claimed = time.monotonic()  # before the claims are written: never thought younger
    now = utcnow()
    queued: list[Queued] = []
    for row in rows:
        if row.id in held:
            continue  # ours, its renewal failed: its lane checks the claim
        try:
            reply = Reply.from_payload(row.payload)
        except (TypeError, ValueError, AttributeError) as error:
            unit.outbox_rows.give_up(row, type(error).__name__, now)
            log.warning("outbox message %s unreadable; given up", row.id)
            continue
        claim = unit.outbox_rows.reclaim(row, now)
        queued.append(Queued(row.id, row.chat_id, reply, claim, claimed))
    return queued
