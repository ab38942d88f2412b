"""In-memory repositories of the digests' rooms: digests, e-mail, staff chats, recalls,
reminders and retention, as the unit of work offers them (bot/storage/repositories/)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.storage import models
from bot.storage.models import MailMessage, Parent, ParentSession, Response, School, Staff
from bot.storage.repositories.digests import changed_since_listed

if TYPE_CHECKING:
    from tests.fakes.units import FakeUnitOfWork

Listed = tuple[Response, int]


@dataclass
class FakeDigests:
    """Schools, their responses (with the parent's Telegram user) and digests, in lists."""

    schools: dict[str, School] = field(default_factory=dict)
    responses: list[Listed] = field(default_factory=list)
    digests: list[models.Digest] = field(default_factory=list)
    # Unsent digest parts: outbox id -> (digest id, the families it shows, its payload).
    parts: dict[int, tuple[int, set[int], dict[str, Any]]] = field(default_factory=dict)
    mails: list[MailMessage] = field(default_factory=list)
    mail_families: dict[int, set[int]] = field(default_factory=dict)

    def due(self, now: datetime, limit: int) -> list[str]:
        due = [
            c for c, s in self.schools.items() if s.digest_due_at is None or s.digest_due_at <= now
        ]
        return sorted(due)[:limit]

    def school(self, code: str, *, locked: bool = False) -> School | None:
        return self.schools.get(code)

    def new_families(self, code: str) -> list[Listed]:
        return [(r, u) for r, u in self._of(code) if r.digest_id is None or changed_since_listed(r)]

    def open_families(self, code: str, listed_before: datetime) -> list[Listed]:
        return [
            (r, u)
            for r, u in self._of(code)
            if r.digest_id is not None
            and r.followup_status != "helped"
            and r.listed_at is not None
            and r.listed_at <= listed_before
            and not changed_since_listed(r)
        ]

    def families(self, response_ids: Collection[int]) -> list[Listed]:
        return sorted((f for f in self.responses if f[0].id in response_ids), key=_by_id)

    def get(self, digest_id: int) -> models.Digest | None:
        return next((d for d in self.digests if d.id == digest_id), None)

    def add(self, digest: models.Digest) -> models.Digest:
        digest.id = len(self.digests) + 1
        self.digests.append(digest)
        return digest

    def assign(self, response_ids: Collection[int], digest_id: int) -> int:
        free = [r for r, _ in self.responses if r.id in response_ids and r.digest_id is None]
        for response in free:
            response.digest_id = digest_id
        return len(free)

    def mark_listed(self, response_ids: Collection[int], now: datetime) -> None:
        for response, _ in self.responses:
            if response.id in response_ids:
                response.listed_at = now

    def unsent_parts(self, digest_id: int) -> list[tuple[int, int]]:
        return [
            (outbox_id, r)
            for outbox_id, (digest, shown, _) in self.parts.items()
            if digest == digest_id
            for r in sorted(shown)
        ]

    def rewrite_part(
        self, outbox_id: int, payload: dict[str, Any], erased: Collection[int]
    ) -> None:
        digest_id, shown, _ = self.parts[outbox_id]
        self.parts[outbox_id] = (digest_id, shown - set(erased), payload)

    def unsent_mails(self, digest_id: int) -> list[MailMessage]:
        return [m for m in self.mails if m.digest_id == digest_id and m.sent_at is None]

    def unlink_mail(self, mail_id: int, erased: Collection[int]) -> None:
        self.mail_families[mail_id] = self.mail_families.get(mail_id, set()) - set(erased)

    def _of(self, code: str) -> list[Listed]:
        return sorted((f for f in self.responses if f[0].school_code == code), key=_by_id)


@dataclass
class FakeMailOutbox:
    """The mail outbox in a list; ids given out as a database would."""

    mails: list[MailMessage] = field(default_factory=list)

    def add(self, mail: MailMessage) -> None:
        mail.id = len(self.mails) + 1
        self.mails.append(mail)

    def claim(
        self, now: datetime, reclaim_before: datetime, digest_id: int | None, limit: int
    ) -> list[MailMessage]:
        rows = [
            m
            for m in self.mails
            if m.sent_at is None
            and (m.claimed_at is None or m.claimed_at < reclaim_before)
            and (m.retry_at is None or m.retry_at <= now)
            and (digest_id is None or m.digest_id == digest_id)
        ][:limit]
        for row in rows:
            row.claimed_at = now
            row.attempts += 1
        return rows

    def current(self, mail_id: int) -> MailMessage | None:
        return next((m for m in self.mails if m.id == mail_id), None)

    def finish(self, mail_id: int, values: dict[str, Any]) -> None:
        mail = self.current(mail_id)
        if mail is not None:
            for name, value in values.items():
                setattr(mail, name, value)


@dataclass
class FakeRecipients:
    """Staff memberships in a list."""

    staff: list[Staff] = field(default_factory=list)

    def receiving_chats(self, code: str) -> list[int]:
        members = sorted(self.staff, key=lambda m: m.id)
        return list(
            dict.fromkeys(
                m.chat_id
                for m in members
                if m.school_code == code and m.revoked_at is None and m.inactive_at is None
            )
        )

    def active_in_chat(self, chat_id: int) -> list[Staff]:
        return [m for m in self.staff if m.chat_id == chat_id and m.inactive_at is None]


@dataclass
class FakeRecalls:
    """Stored messages as the families they show: message id -> (digest id, response ids)."""

    unsent: dict[int, tuple[int | None, set[int]]] = field(default_factory=dict)
    # Voice notes played in staff chats: (response id, chat id, message id).
    copies: list[tuple[int, int, int]] = field(default_factory=list)

    def keep_copy(self, response_ids: Collection[int], chat_id: int, message_id: int) -> None:
        self.copies += [(rid, chat_id, message_id) for rid in response_ids]

    def take_copies(self, erased: Collection[int]) -> list[tuple[int, int]]:
        taken = sorted({(c, m) for rid, c, m in self.copies if rid in erased})
        self.copies = [copy for copy in self.copies if copy[0] not in erased]
        return taken

    def unsent_digests(self, erased: Collection[int]) -> list[int]:
        found = {d for d, shown in self.unsent.values() if d is not None and shown & set(erased)}
        return sorted(found)

    def delete_about(self, erased: Collection[int]) -> int:
        gone = [i for i, (_, shown) in self.unsent.items() if shown & set(erased)]
        for message_id in gone:
            del self.unsent[message_id]
        return len(gone)

    def shares_chat(self, member: Staff) -> bool:
        return False

    def delete_unsent_to(self, member: Staff) -> int:
        return 0


@dataclass
class FakeUnfinished:
    """Sessions with their parents, in a list."""

    sessions: list[tuple[ParentSession, Parent]] = field(default_factory=list)

    def to_remind(self, idle_since: datetime, limit: int) -> list[tuple[ParentSession, Parent]]:
        return [
            (s, p)
            for s, p in sorted(self.sessions, key=lambda pair: pair[0].id)
            if s.status == "active"
            and s.reminded_at is None
            and s.updated_at <= idle_since
            and p.reminders_off_at is None
            and p.blocked_at is None
            and p.language is not None
        ][:limit]


@dataclass
class FakeExpired:
    """Responses, unfinished sessions, parents and messages by age, in lists."""

    kept_responses: list[Response] = field(default_factory=list)
    kept_sessions: list[ParentSession] = field(default_factory=list)
    kept_parents: list[Parent] = field(default_factory=list)
    messages_made: list[datetime] = field(default_factory=list)

    def responses(
        self, helped_before: datetime, completed_before: datetime
    ) -> list[tuple[int, int]]:
        return [
            (r.id, r.session_id)
            for r in self.kept_responses
            if (
                r.followup_status == "helped"
                and r.followup_at is not None
                and r.followup_at <= helped_before
            )
            or (r.followup_status != "helped" and r.completed_at <= completed_before)
        ]

    def erase_responses(self, response_ids: Collection[int], session_ids: Collection[int]) -> None:
        self.kept_responses = [r for r in self.kept_responses if r.id not in response_ids]
        self.kept_sessions = [s for s in self.kept_sessions if s.id not in session_ids]

    def abandoned_sessions(self, idle_since: datetime) -> list[int]:
        answered = {r.session_id for r in self.kept_responses}
        return [
            s.id for s in self.kept_sessions if s.updated_at <= idle_since and s.id not in answered
        ]

    def erase_sessions(self, session_ids: Collection[int]) -> None:
        self.kept_sessions = [s for s in self.kept_sessions if s.id not in session_ids]

    def erase_parents(self, came_before: datetime) -> int:
        kept = {s.parent_id for s in self.kept_sessions} | {
            r.parent_id for r in self.kept_responses
        }
        gone = [p for p in self.kept_parents if p.created_at <= came_before and p.id not in kept]
        self.kept_parents = [p for p in self.kept_parents if p not in gone]
        return len(gone)

    def erase_messages(self, made_before: datetime) -> int:
        kept = [made for made in self.messages_made if made > made_before]
        gone = len(self.messages_made) - len(kept)
        self.messages_made = kept
        return gone


@dataclass
class FakeTransactions:
    """Opens the same in-memory unit of work each time; counts what was committed."""

    unit: FakeUnitOfWork = field(default_factory=lambda: _new_unit())
    committed: int = 0

    @contextmanager
    def begin(self) -> Iterator[FakeUnitOfWork]:
        yield self.unit
        self.committed += 1

    @contextmanager
    def read(self) -> Iterator[FakeUnitOfWork]:
        yield self.unit


def _new_unit() -> FakeUnitOfWork:
    # Imported here: the fake unit of work is made of the fakes above.
    from tests.fakes.units import FakeUnitOfWork

    return FakeUnitOfWork()


def _by_id(listed: Listed) -> int:
    return listed[0].id
