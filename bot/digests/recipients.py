"""Staff chats: which ones receive a school's families, and what to do when one blocks the bot."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.clock import Clock
from bot.storage.models import MailMessage
from bot.storage.queue import Queued
from bot.storage.unit import Transactions, UnitOfWork

log = logging.getLogger(__name__)
# Schools named in a notice; the rest are counted, so the notice keeps its advice.
NAMED_SCHOOLS = 20


class StaffChats:
    """Marks staff chats inactive when Telegram refuses them, and says so to the coordinators."""

    def __init__(
        self,
        transactions: Transactions,
        clock: Clock,
        coordinator_ids: Sequence[int],
        coordinator_emails: Sequence[str],
    ) -> None:
        self._transactions = transactions
        self._clock = clock
        self._ids = list(coordinator_ids)
        self._emails = list(coordinator_emails)

    def blocked(self, chat_id: int) -> list[Queued]:
        """Mark the chat's staff memberships inactive; return the coordinators' messages."""
        with self._transactions.begin() as unit:
            members = unit.recipients.active_in_chat(chat_id)
            if not members:
                return []
            now = self._clock.now()
            for member in members:
                member.inactive_at = now
            codes = sorted({m.school_code for m in members})
            log.info("a staff chat of school(s) %s blocked the bot; marked inactive", codes)
            text = (
                f"Een personeelslid van school {_listed(codes)} heeft de bot geblokkeerd. "
                "Overzichten gaan niet meer naar die chat. Is er nog iemand anders van de "
                "school aangemeld? Zie `ouderbrug staff list --school CODE`; wie opnieuw "
                "meedoet, opent de personeelslink weer."
            )
            return self.tell(unit, text, "Ouderbrug: personeelschat geblokkeerd")

    def tell(self, unit: UnitOfWork, text: str, subject: str) -> list[Queued]:
        """Queue a message to every coordinator, in Telegram and by e-mail, in this transaction."""
        queued = unit.outbox.to_chats(self._ids, text)
        if self._emails:
            unit.mail.add(
                MailMessage(
                    recipients=self._emails,
                    subject=subject,
                    body=text + "\n",
                    created_at=self._clock.now(),
                    attempts=0,
                )
            )
        return queued


def _listed(codes: Sequence[str]) -> str:
    """Name the first schools and count the others ("16AH00, 17BX01 en 3 andere")."""
    named = ", ".join(codes[:NAMED_SCHOOLS])
    rest = len(codes) - NAMED_SCHOOLS
    return f"{named} en {rest} andere" if rest > 0 else named
