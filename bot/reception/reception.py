"""The front desk: one transaction per update, routed to parents, staff or coordinators."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from sqlalchemy.exc import IntegrityError, OperationalError

from bot.broadcasts.desk import BroadcastDesk
from bot.conversations.room import ConversationRoom
from bot.digests.alerts import UrgentAlerts
from bot.digests.needs import NeedsRecorder
from bot.messages.incoming import BotCommand, ButtonPressed, CommandSent, Incoming
from bot.messages.replies import Replies, Reply
from bot.parents.conversation import Conversations
from bot.reception.handled import Handled
from bot.reception.routing import Rooms, Routed
from bot.staff.followup import FollowUps
from bot.staff.school_staff import SchoolStaff
from bot.staff.signin import DashboardSignIn
from bot.staff.voice_notes import VoicePlays
from bot.storage.errors import is_transient
from bot.storage.unit import Transactions, UnitOfWork
from bot.translation.requests import Job, TranslationQueue

log = logging.getLogger(__name__)


class RelayQueue(Protocol):
    """Takes conversation messages after their transaction committed (bot.conversations.relay)."""

    def submit(self, message_ids: Iterable[int]) -> None:
        """Hand over messages to translate and relay; never blocks."""
        ...


# A race with another worker on the same new parent or update: try again, then give up.
ATTEMPTS = 3


class Reception:
    """Takes each update exactly once: its effect, its record and its replies commit together."""

    def __init__(
        self,
        transactions: Transactions,
        conversations: Conversations,
        staff: SchoolStaff,
        coordinators: frozenset[int],
        reload_flows: Callable[[], str],
        translator: TranslationQueue | None = None,
        followups: FollowUps | None = None,
        alerts: UrgentAlerts | None = None,
        broadcasts: BroadcastDesk | None = None,
        plays: VoicePlays | None = None,
        needs: NeedsRecorder | None = None,
        signin: DashboardSignIn | None = None,
        talk: ConversationRoom | None = None,
        relay: RelayQueue | None = None,
    ) -> None:
        self._transactions = transactions
        self._rooms = Rooms(
            conversations, staff, followups, alerts, broadcasts, plays, needs, signin, talk
        )
        self._relay = relay
        self._coordinators = coordinators
        self._reload_flows = reload_flows
        self._translator = translator

    def handle(self, incoming: Incoming) -> Handled:
        """Apply one update; return the replies to send now (none for a duplicate)."""
        # Reloading writes flow versions in transactions of its own: never inside ours.
        report = self._reload_flows() if self._is_reload(incoming) else None
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._once(incoming, report)
            except (IntegrityError, OperationalError) as error:
                if self._processed(incoming.update_id):
                    log.info("update %s was a duplicate", incoming.update_id)
                    return Handled([], None)
                # A race (a duplicate key, a busy database) may go the other way next time.
                retry = isinstance(error, IntegrityError) or is_transient(error)
                if attempt == ATTEMPTS or not retry:
                    if is_transient(error):
                        raise  # the caller tries again later; nothing was stored
                    return self._drop(incoming, error)
                log.warning("retrying update %s after %s", incoming.update_id, type(error).__name__)
            except Exception as error:
                if is_transient(error):  # a connection lost mid-statement
                    raise
                # Deterministic: forged data nobody can read, or a bug.
                return self._drop(incoming, error)
        return Handled([], None)

    def _drop(self, incoming: Incoming, error: Exception) -> Handled:
        """Record an update that fails every time as processed, so it is never redelivered.

        Logged once, by type only: the message may quote what the parent sent. A press
        is still answered, so the spinner on the parent's button stops.
        """
        log.warning("update %s dropped: %s", incoming.update_id, type(error).__name__)
        log.debug("update %s failed", incoming.update_id, exc_info=error)
        try:
            with self._transactions.begin() as uow:
                uow.updates.record(incoming.update_id)
        except IntegrityError:
            pass  # another worker recorded it meanwhile
        action = incoming.action
        if isinstance(action, ButtonPressed):
            return Handled([], Reply("answer_callback", callback_id=action.callback_id))
        return Handled([], None)

    def handle_batch(self, batch: Sequence[Incoming]) -> list[Handled | Exception]:
        """Apply updates in one transaction: under load, one commit serves many.

        When any of them fails (a duplicate, a database error, a bug), the whole batch is
        rolled back and each update handled again on its own, so every update ends as
        handle() would end it. Failures are rare; savepoints for each would cost every
        update a tenth of its time (bench/bot.py).
        """
        if len(batch) == 1 or any(self._is_reload(incoming) for incoming in batch):
            return [self._outcome(incoming) for incoming in batch]
        jobs: list[Job] = []
        relayed: list[int] = []
        handled: list[Handled | Exception] = []
        try:
            with self._transactions.begin() as uow:
                for incoming in batch:
                    done, wanted, relay = self._apply(uow, incoming, None)
                    handled.append(done)
                    jobs += wanted
                    relayed += relay
        except Exception:  # each is handled again, which reports its own
            log.info("a batch of %d updates was rolled back; one by one now", len(batch))
            return [self._outcome(incoming) for incoming in batch]
        self._translate(jobs, relayed)
        return handled

    def _outcome(self, incoming: Incoming) -> Handled | Exception:
        try:
            return self.handle(incoming)
        except Exception as error:
            return error

    def _is_reload(self, incoming: Incoming) -> bool:
        action = incoming.action
        return (
            isinstance(action, CommandSent)
            and action.command is BotCommand.RELOAD
            and incoming.user_id in self._coordinators
        )

    def _processed(self, update_id: int) -> bool:
        with self._transactions.read() as uow:
            return uow.updates.seen(update_id)

    def _once(self, incoming: Incoming, report: str | None) -> Handled:
        with self._transactions.begin() as uow:
            handled, jobs, relayed = self._apply(uow, incoming, report)
        self._translate(jobs, relayed)
        return handled

    def _apply(
        self, uow: UnitOfWork, incoming: Incoming, report: str | None
    ) -> tuple[Handled, tuple[Job, ...], tuple[int, ...]]:
        """Take one update in the open transaction; return what it produced and its jobs."""
        # Recorded first: a duplicate fails right here, on the primary key, before
        # anything else is done (handle() then finds it processed and answers nothing).
        uow.updates.record(incoming.update_id)
        if report is not None:
            replies = Replies(incoming.chat_id)
            replies.send(report)
            routed = Routed(tuple(replies.items), None)
        else:
            routed = self._rooms.route(uow, incoming)
        # A button press is answered once, at once, and is useless minutes later:
        # it needs no outbox. Everything else is stored until it was sent.
        popups = [r for r in routed.replies if r.action == "answer_callback"]
        rest = [r for r in routed.replies if r.action != "answer_callback"]
        queued = uow.outbox.queue(incoming.chat_id, rest, routed.owner)
        handled = Handled(queued + list(routed.others), popups[0] if popups else None)
        return handled, routed.jobs, routed.relay

    def _translate(self, jobs: Sequence[Job], relayed: Sequence[int] = ()) -> None:
        # Only after the commit is the answer stored for good; its row stays pending
        # (for the sweep) if the queue drops the job.
        if jobs and self._translator is not None:
            self._translator.submit(jobs)
        if relayed and self._relay is not None:
            self._relay.submit(relayed)
