"""The front desk: one transaction per update, routed to parents, staff or coordinators."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.messages.callbacks import FollowUp, decode
from bot.messages.incoming import BotCommand, ButtonPressed, CommandSent, Incoming
from bot.messages.replies import Replies, Reply
from bot.outbox import queue as outbox
from bot.outbox.queue import Queued
from bot.parents.conversation import Conversations, Turn
from bot.schools.links import StaffLink, parse_payload
from bot.staff.followup import FollowUps
from bot.staff.school_staff import SchoolStaff
from bot.storage import store
from bot.storage.errors import is_transient
from bot.storage.unit import SqlUnitOfWork
from bot.translation.requests import Job, TranslationQueue

log = logging.getLogger(__name__)

# A race with another worker on the same new parent or update: try again, then give up.
ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Handled:
    """What an update produced: replies stored in the outbox, and the button press's answer."""

    queued: list[Queued]
    popup: Reply | None


class Desk:
    """Takes each update exactly once: its effect, its record and its replies commit together."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        conversations: Conversations,
        staff: SchoolStaff,
        coordinators: frozenset[int],
        reload_flows: Callable[[], str],
        translator: TranslationQueue | None = None,
        followups: FollowUps | None = None,
    ) -> None:
        self._sessions = sessions
        self._conversations = conversations
        self._staff = staff
        self._coordinators = coordinators
        self._reload_flows = reload_flows
        self._translator = translator
        self._followups = followups

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
            with self._sessions.begin() as db:
                store.mark_processed(db, incoming.update_id)
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
        try:
            with self._sessions.begin() as db:
                handled: list[Handled | Exception] = [
                    self._apply(db, incoming, None, jobs) for incoming in batch
                ]
        except Exception:  # each is handled again, which reports its own
            log.info("a batch of %d updates was rolled back; one by one now", len(batch))
            return [self._outcome(incoming) for incoming in batch]
        self._translate(jobs)
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
        with self._sessions() as db:
            return store.already_processed(db, update_id)

    def _once(self, incoming: Incoming, report: str | None) -> Handled:
        jobs: list[Job] = []
        with self._sessions.begin() as db:
            handled = self._apply(db, incoming, report, jobs)
        self._translate(jobs)
        return handled

    def _apply(
        self, db: Session, incoming: Incoming, report: str | None, jobs: list[Job]
    ) -> Handled:
        # Recorded first: a duplicate fails right here, on the primary key, before
        # anything else is done (handle() then finds it processed and answers nothing).
        store.mark_processed(db, incoming.update_id)
        replies = Replies(incoming.chat_id)
        # Messages to other chats stored in this transaction (an urgent alert to the school).
        others: list[Queued] = []
        if report is not None:
            replies.send(report)
            owner = None
        else:
            owner = self._route(db, incoming, replies, jobs, others)
        # A button press is answered once, at once, and is useless minutes later:
        # it needs no outbox. Everything else is stored until it was sent.
        popups = [r for r in replies.items if r.action == "answer_callback"]
        replies.items = [r for r in replies.items if r.action != "answer_callback"]
        queued = outbox.queue(db, replies, owner)
        return Handled(queued + others, popups[0] if popups else None)

    def _translate(self, jobs: list[Job]) -> None:
        # Only after the commit is the answer stored for good; its row stays pending
        # (for the sweep) if the queue drops the job.
        if jobs and self._translator is not None:
            self._translator.submit(jobs)

    def _route(
        self,
        db: Session,
        incoming: Incoming,
        replies: Replies,
        jobs: list[Job],
        others: list[Queued],
    ) -> int | None:
        """Hand the update to whoever it is for; return the parent the replies belong to."""
        action = incoming.action
        if isinstance(action, ButtonPressed) and self._followups is not None:
            pressed = decode(action.data)
            if isinstance(pressed, FollowUp):
                replies.items += self._followups.press(SqlUnitOfWork(db), incoming, pressed).items
                return None
        if isinstance(action, CommandSent):
            link = parse_payload(action.argument) if action.command is BotCommand.START else None
            if isinstance(link, StaffLink):
                replies.items += self._staff.join(SqlUnitOfWork(db), incoming, link.token).items
                return None
            uow = SqlUnitOfWork(db)
            if action.command is BotCommand.RESPONSES and self._staff.is_staff(
                uow, incoming.user_id
            ):
                replies.items += self._staff.responses(uow, incoming).items
                return None
        parent, session = store.parent_for(db, incoming.user_id, incoming.chat_id)
        turn = Turn(db, parent, incoming, replies, jobs=jobs, session=session)
        self._conversations.handle(turn)
        others += turn.others
        return None if turn.erased else parent.id
