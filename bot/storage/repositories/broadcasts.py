"""Broadcasts in the database: who they are for, and which family's copy is queued."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.messages.replies import Reply
from bot.storage.models import Broadcast, BroadcastFamily, OutboxMessage, Parent, Response, School
from bot.storage.queue import Queued


@dataclass(frozen=True, slots=True)
class Household:
    """A family a broadcast may reach: its chat, language and each child's answers."""

    parent_id: int
    chat_id: int
    language: str
    school_name: str
    # (flow id, answers) of each finished response at the broadcast's schools.
    responses: tuple[tuple[str, dict[str, Any]], ...]


@dataclass(frozen=True, slots=True)
class Tally:
    """How a broadcast's copies stand: queued, delivered, blocked, failed, not translated."""

    queued: int
    delivered: int
    blocked: int
    failed: int
    untranslated: int

    @property
    def finished(self) -> int:
        """Return how many copies have an outcome (delivered, blocked or given up)."""
        return self.delivered + self.blocked + self.failed


class BroadcastDrafts(Protocol):
    """What staff's /bericht reads and writes while the reception's transaction is open."""

    def get(self, broadcast_id: int) -> Broadcast | None:
        """Return the broadcast with this id, if any."""
        ...

    def add(self, broadcast: Broadcast) -> Broadcast:
        """Store a new broadcast and give it its id."""
        ...

    def open_draft(self, staff_id: int) -> Broadcast | None:
        """Return the staff member's draft still waiting for its text, if any."""
        ...

    def close_drafts(self, staff_id: int) -> None:
        """Cancel the staff member's drafts not yet confirmed."""
        ...

    def answers_at(self, code: str) -> list[tuple[int, str, dict[str, Any]]]:
        """Return (parent id, flow id, answers) of every finished response at the school."""
        ...


class SqlBroadcasts:
    """Broadcasts on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def get(self, broadcast_id: int) -> Broadcast | None:
        """Return the broadcast with this id, if any."""
        return self._db.get(Broadcast, broadcast_id)

    def open_draft(self, staff_id: int) -> Broadcast | None:
        """Return the staff member's newest draft still waiting for its text, if any."""
        query = (
            select(Broadcast)
            .where(Broadcast.staff_id == staff_id, Broadcast.status == "draft")
            .order_by(Broadcast.id.desc())
            .limit(1)
        )
        return self._db.scalars(query).first()

    def close_drafts(self, staff_id: int) -> None:
        """Cancel the staff member's drafts not yet confirmed."""
        self._db.execute(
            update(Broadcast)
            .where(Broadcast.staff_id == staff_id, Broadcast.status.in_(("draft", "ready")))
            .values(status="cancelled")
        )

    def answers_at(self, code: str) -> list[tuple[int, str, dict[str, Any]]]:
        """Return (parent id, flow id, answers) of every finished response at the school."""
        query = select(Response.parent_id, Response.flow_id, Response.answers).where(
            Response.school_code == code
        )
        return [(parent, flow, dict(answers)) for parent, flow, answers in self._db.execute(query)]

    def sending(self) -> list[Broadcast]:
        """Return the broadcasts confirmed in Telegram whose families are not all queued."""
        query = select(Broadcast).where(Broadcast.status == "sending").order_by(Broadcast.id)
        return list(self._db.scalars(query))

    def mark_sent(self, broadcast_id: int) -> None:
        """Note that every family of a broadcast is queued: the sweep sends the rest."""
        broadcast = self._db.get(Broadcast, broadcast_id)
        if broadcast is not None and broadcast.status == "sending":
            broadcast.status = "sent"

    def schools(self, code: str | None, municipality: str | None) -> list[School]:
        """Return the school with this code, or every school of the municipality (any case)."""
        query = select(School).order_by(School.code)
        if code is not None:
            query = query.where(School.code == code)
        else:
            query = query.where(func.lower(School.municipality) == (municipality or "").lower())
        return list(self._db.scalars(query))

    def find(self, key: str) -> Broadcast | None:
        """Return the broadcast stored under this key, if any."""
        return self._db.scalars(select(Broadcast).where(Broadcast.key == key)).one_or_none()

    def add(self, broadcast: Broadcast) -> Broadcast:
        """Store a new broadcast and give it its id."""
        self._db.add(broadcast)
        self._db.flush()
        return broadcast

    def households(self, schools: Sequence[School]) -> list[Household]:
        """Return the families with a finished response at these schools, oldest first."""
        names = {s.code: s.name for s in schools}
        rows = self._db.execute(
            select(
                Parent.id,
                Parent.chat_id,
                Parent.language,
                Response.language,
                Response.school_code,
                Response.flow_id,
                Response.answers,
            )
            .join(Response, Response.parent_id == Parent.id)
            .where(Response.school_code.in_(list(names)))
            .order_by(Parent.id, Response.id)
        ).all()
        found: dict[int, list[Any]] = {}
        for parent_id, chat_id, chosen, answered, code, flow_id, answers in rows:
            entry = found.setdefault(
                parent_id, [chat_id, chosen or answered, names.get(code or "", ""), []]
            )
            entry[3].append((flow_id, dict(answers)))
        return [
            Household(pid, chat, language, name, tuple(responses))
            for pid, (chat, language, name, responses) in found.items()
        ]

    def reached(self, broadcast_id: int) -> set[int]:
        """Return the parents whose copy is queued already."""
        query = select(BroadcastFamily.parent_id).where(
            BroadcastFamily.broadcast_id == broadcast_id
        )
        return set(self._db.scalars(query))

    def mark(
        self, broadcast_id: int, parent_id: int, queued: Queued, language: str, translated: bool
    ) -> None:
        """Note a family's copy, in the transaction that queued it (unique per family)."""
        self._db.add(
            BroadcastFamily(
                broadcast_id=broadcast_id,
                parent_id=parent_id,
                outbox_id=queued.outbox_id,
                language=language,
                translated=translated,
            )
        )

    def abandoned(
        self,
        broadcast_id: int,
        claimed_before: datetime,
        now: datetime,
        held: frozenset[int] = frozenset(),
    ) -> list[Queued]:
        """Claim anew this broadcast's unsent copies whose sender went away."""
        claimed = time.monotonic()  # before the claims are written: never thought younger
        rows = self._db.scalars(
            select(OutboxMessage)
            .join(BroadcastFamily, BroadcastFamily.outbox_id == OutboxMessage.id)
            .where(BroadcastFamily.broadcast_id == broadcast_id)
            .where(OutboxMessage.sent_at.is_(None))
            .where(OutboxMessage.claimed_at.is_(None) | (OutboxMessage.claimed_at < claimed_before))
            .order_by(OutboxMessage.id)
            .with_for_update(skip_locked=True)
        ).all()
        queued = []
        for row in rows:
            if row.id in held:
                continue  # this process's own, waiting in a lane: its lane checks the claim
            row.claimed_at = now
            row.claim += 1
            reply = Reply.from_payload(row.payload)
            queued.append(Queued(row.id, row.chat_id, reply, row.claim, claimed))
        return queued

    def tally(self, broadcast_id: int) -> Tally:
        """Count the broadcast's copies by how they stand."""
        sent, error = OutboxMessage.sent_at, OutboxMessage.last_error
        rows = self._db.execute(
            select(sent.is_not(None), error, BroadcastFamily.translated, func.count())
            .select_from(BroadcastFamily)
            .join(OutboxMessage, OutboxMessage.id == BroadcastFamily.outbox_id, isouter=True)
            .where(BroadcastFamily.broadcast_id == broadcast_id)
            .group_by(sent.is_not(None), error, BroadcastFamily.translated)
        ).all()
        counts = {"queued": 0, "delivered": 0, "blocked": 0, "failed": 0, "untranslated": 0}
        for done, why, translated, n in rows:
            counts["queued"] += n
            counts["untranslated"] += 0 if translated else n
            if done and why is None:
                counts["delivered"] += n
            elif done and why == "Forbidden":
                counts["blocked"] += n
            elif done:
                counts["failed"] += n
        return Tally(**counts)
