"""The bot's round of staff broadcasts: queue and send those confirmed with /bericht.

It runs on the bot's event loop, one broadcast at a time; the translation runs in a
thread of its own, so updates never wait for it. A broadcast whose round was cut off (a
crash, a restart) is still "sending" and is resumed by the next round: the families with
a row are not queued again, the outbox's sweep sends what was queued but unsent.
"""

from __future__ import annotations

import asyncio
import logging

from bot.broadcasts import texts as msg
from bot.broadcasts.delivery import Pace, deliver
from bot.broadcasts.sending import Audience, Broadcasts
from bot.engine.ports import Localizer
from bot.outbox.delivery import Outbox
from bot.storage.queue import Queued
from bot.storage.repositories.broadcasts import Tally
from bot.storage.unit import Transactions
from bot.storage.work import DatabaseCalls

log = logging.getLogger(__name__)


class BroadcastRounds:
    """Sends the broadcasts staff confirmed, through the bot's own sender."""

    def __init__(
        self,
        broadcasts: Broadcasts,
        transactions: Transactions,
        sender: Outbox,
        database: DatabaseCalls,
        pace: Pace,
        texts: Localizer,
    ) -> None:
        # Staff read Dutch, as in the rest of their room.
        self._texts = texts
        self._broadcasts = broadcasts
        self._transactions = transactions
        self._sender = sender
        self._database = database
        self._pace = pace
        self._round: asyncio.Task[None] | None = None

    async def run(self) -> None:
        """Start sending the confirmed broadcasts, unless a round is still at it."""
        # A round lasts as long as its broadcasts take to send (minutes for thousands of
        # families); the scheduler's next call returns at once meanwhile.
        if self._round is None or self._round.done():
            self._round = asyncio.create_task(self._send_due())

    async def _send_due(self) -> None:
        try:
            for broadcast_id in await self._database.call(self._due):
                await self._send(broadcast_id)
        except Exception:
            log.exception("the broadcast round failed; the next one goes on")

    async def _send(self, broadcast_id: int) -> None:
        found = await self._database.call(self._read, broadcast_id)
        if found is None:
            return
        code, need, text, key = found
        audience = Audience(code, need=need)
        plan = await asyncio.to_thread(self._broadcasts.plan, audience, text, key=key)
        tally = await deliver(
            self._broadcasts, broadcast_id, plan, self._sender, self._database, self._pace
        )
        if tally.queued >= len(plan.households):
            self._sender.submit(await self._database.call(self._sent, broadcast_id, tally))
        log.info(
            "broadcast %s: %d delivered, %d blocked, %d not translated",
            broadcast_id,
            tally.delivered,
            tally.blocked,
            tally.untranslated,
        )

    def _due(self) -> list[int]:
        with self._transactions.read() as unit:
            return [b.id for b in unit.broadcasts.sending()]

    def _read(self, broadcast_id: int) -> tuple[str, str | None, str, str] | None:
        with self._transactions.read() as unit:
            broadcast = unit.broadcasts.get(broadcast_id)
            if broadcast is None or broadcast.school_code is None:
                return None
            return broadcast.school_code, broadcast.need, broadcast.text, broadcast.key

    def _sent(self, broadcast_id: int, tally: Tally) -> list[Queued]:
        """Note the broadcast as sent, and tell the staff member who sent it how it went."""
        with self._transactions.begin() as unit:
            broadcast = unit.broadcasts.get(broadcast_id)
            if broadcast is None or broadcast.status != "sending":
                return []  # another worker's round got there first and told them
            unit.broadcasts.mark_sent(broadcast_id)
            member = unit.staff.get(broadcast.staff_id) if broadcast.staff_id else None
            if member is None or member.revoked_at is not None:
                return []
            school = unit.schools.get(member.school_code)
            summary = self._texts.gettext(msg.SUMMARY) % {
                "school": school.name if school is not None else member.school_code,
                "delivered": self._texts.format_number(tally.delivered),
                "blocked": self._texts.format_number(tally.blocked),
                "untranslated": self._texts.format_number(tally.untranslated),
            }
            return unit.outbox.to_chats([member.chat_id], summary)
