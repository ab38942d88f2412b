"""Keep nothing that identifies a family longer than needed: every rule, and the nightly erase.

Each kind of row that can name a family has its end here, and nowhere else:

- a response (and its session and translations) RETENTION_DAYS after it was marked
  helped, or RETENTION_OPEN_DAYS after it was sent when it never was: a school that
  never follows up, or a school that is not in the list, does not keep it for ever;
- an unfinished or declined session, with its partial answers, RETENTION_SESSION_DAYS
  after its last answer; a parent with nothing left, as long after they first came;
- a stored message (digest parts, alerts, replies) and an e-mail RETENTION_MESSAGE_DAYS
  after it was made, sent or not, and the record of handled updates as long.

The log gets counts only, never whose.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.outbox.recall import DigestRewriter, delete_played, recall_families
from bot.storage.unit import Transactions, UnitOfWork

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetentionRules:
    """How many days each kind of row that can identify a family is kept."""

    helped_days: int = 90
    open_days: int = 365
    session_days: int = 30
    message_days: int = 30

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionRules:
        """Return the rules the installation set (RETENTION_*)."""
        return cls(
            helped_days=settings.retention_days,
            open_days=settings.retention_open_days,
            session_days=settings.retention_session_days,
            message_days=settings.retention_message_days,
        )


@dataclass(frozen=True, slots=True)
class Erased:
    """How much one retention run erased: counts only."""

    families: int
    sessions: int
    parents: int
    messages: int


def erase_expired(
    transactions: Transactions,
    clock: Clock,
    rules: RetentionRules,
    digests: DigestRewriter | None = None,
) -> Erased:
    """Erase every row whose time is up, in one transaction; log how many of each.

    An unsent digest that also carries families whose time is not up is rewritten
    without the erased ones (by `digests`), so the others still reach their school.
    """
    now = clock.now()
    idle_since = now - timedelta(days=rules.session_days)
    with transactions.begin() as unit:
        families = _responses(unit, now, rules, digests)
        unfinished = _sessions(unit, idle_since)
        parents = unit.expired.erase_parents(idle_since)
        # A message still unsent after so long would only confuse whoever got it now.
        messages = unit.expired.erase_messages(now - timedelta(days=rules.message_days))
    erased = Erased(families, unfinished, parents, messages)
    log.info(
        "retention: erased %d families, %d unfinished sessions, %d parents with nothing left "
        "and %d old messages",
        erased.families,
        erased.sessions,
        erased.parents,
        erased.messages,
    )
    return erased


def _responses(
    unit: UnitOfWork, now: datetime, rules: RetentionRules, digests: DigestRewriter | None
) -> int:
    """Erase responses helped long enough ago, or never helped and sent long ago."""
    rows = unit.expired.responses(
        helped_before=now - timedelta(days=rules.helped_days),
        completed_before=now - timedelta(days=rules.open_days),
    )
    if not rows:
        return 0
    # What still waits to be sent about them goes first; the session holds the same
    # answers in its state, and its translations the parent's words: all of it goes.
    recall_families(unit, [response_id for response_id, _ in rows], digests)
    # Their voice notes played to staff: deleted by the outbox's sweep, if not too old.
    delete_played(unit, [response_id for response_id, _ in rows])
    unit.expired.erase_responses(
        [response_id for response_id, _ in rows], [session_id for _, session_id in rows]
    )
    return len(rows)


def _sessions(unit: UnitOfWork, idle_since: datetime) -> int:
    """Erase sessions that never became a response and saw no answer since then."""
    ids = unit.expired.abandoned_sessions(idle_since)
    if ids:
        unit.expired.erase_sessions(ids)
    return len(ids)
