"""A unit of work that keeps everything in memory: the use cases run on it in milliseconds."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.engine.flow import Flow
from bot.engine.state import SchoolMatch, SessionState, Status
from bot.messages.replies import Button, Replies, Reply
from bot.storage.models import MailMessage, Parent, ParentSession, Response, utcnow
from bot.storage.queue import Queued
from bot.storage.repositories.changes import changed
from bot.storage.repositories.parents import new_session, response_for
from tests.fakes import digests as d
from tests.fakes.broadcasts import FakeBroadcastDrafts
from tests.fakes.conversations import FakeConversations
from tests.fakes.exports import FakeExportedResponses
from tests.fakes.flows import FakeStoredFlows
from tests.fakes.outbox_rows import FakeOutboxRows, FakeTranslations
from tests.fakes.staff import FakeFamilies, FakeSchools, FakeStaffMembers


@dataclass
class FakeUpdateLog:
    """Updates already taken, in a set."""

    taken: set[int] = field(default_factory=set)

    def seen(self, update_id: int) -> bool:
        return update_id in self.taken

    def record(self, update_id: int) -> None:
        if update_id in self.taken:
            raise KeyError(update_id)  # the database's primary key would refuse it too
        self.taken.add(update_id)


@dataclass
class FakeParents:
    """Parents, sessions and responses in lists; ids given out as a database would."""

    parents: list[Parent] = field(default_factory=list)
    sessions: list[ParentSession] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    # The parents erased, by id, and whether a digest rewriter was there to recall with.
    erased: list[int] = field(default_factory=list)

    def for_user(self, user_id: int, chat_id: int) -> tuple[Parent, ParentSession | None]:
        parent = next((p for p in self.parents if p.telegram_user_id == user_id), None)
        if parent is None:
            parent = Parent(id=len(self.parents) + 1, telegram_user_id=user_id, chat_id=chat_id)
            self.parents.append(parent)
            return parent, None
        parent.chat_id = chat_id
        parent.blocked_at = None
        active = [
            s for s in self.sessions if s.parent_id == parent.id and s.status == Status.ACTIVE.value
        ]
        return parent, (active[-1] if active else None)

    def start(self, parent: Parent, flow: Flow, child_number: int) -> ParentSession:
        session = new_session(parent, flow, child_number)
        session.id = len(self.sessions) + 1
        self.sessions.append(session)
        return session

    def save_state(self, session: ParentSession, state: SessionState) -> None:
        session.state = state.to_json()
        session.status = state.status.value

    def last_session(self, parent: Parent) -> ParentSession | None:
        mine = [s for s in self.sessions if s.parent_id == parent.id]
        return mine[-1] if mine else None

    def add_response(
        self, session: ParentSession, flow: Flow, state: SessionState, school: SchoolMatch | None
    ) -> Response:
        response = response_for(session, flow, state, school)
        response.id = len(self.responses) + 1
        response.completed_at = utcnow()
        self.responses.append(response)
        return response

    def change_response(
        self,
        response: Response,
        session: ParentSession,
        flow: Flow,
        state: SessionState,
        school: SchoolMatch | None,
    ) -> None:
        changed(response, response_for(session, flow, state, school))

    def responses_of(self, parent: Parent) -> list[Response]:
        return [r for r in self.responses if r.parent_id == parent.id]

    def erase(self, parent: Parent) -> None:
        self.erased.append(parent.id)
        self.responses = [r for r in self.responses if r.parent_id != parent.id]
        self.sessions = [s for s in self.sessions if s.parent_id != parent.id]
        self.parents = [p for p in self.parents if p.id != parent.id]


@dataclass
class FakeOutbox:
    """Messages queued, in a list; outbox ids given out in order."""

    queued: list[tuple[int | None, Queued]] = field(default_factory=list)
    mails: list[tuple[MailMessage, tuple[int, ...]]] = field(default_factory=list)

    def queue(
        self,
        chat_id: int,
        replies: Sequence[Reply],
        parent_id: int | None,
        *,
        digest_id: int | None = None,
    ) -> list[Queued]:
        items = [Queued(len(self.queued) + n + 1, chat_id, r) for n, r in enumerate(replies)]
        self.queued += [(parent_id, item) for item in items]
        return items

    def to_chats(
        self,
        chat_ids: Iterable[int],
        text: str,
        buttons: tuple[tuple[Button, ...], ...] = (),
        *,
        carrying: Collection[int] = (),
    ) -> list[Queued]:
        queued: list[Queued] = []
        for chat_id in chat_ids:
            replies = Replies(chat_id)
            replies.send(text, buttons, carrying=tuple(carrying))
            queued += self.queue(chat_id, replies.items, None)
        return queued

    def mail(self, mail: MailMessage, response_ids: Collection[int]) -> MailMessage:
        self.mails.append((mail, tuple(response_ids)))
        return mail


@dataclass
class FakeNeeds:
    """Needs per response, in a dict."""

    recorded: dict[int, tuple[str | None, frozenset[str]]] = field(default_factory=dict)

    def record(self, response_id: int, school_code: str | None, needs: Collection[str]) -> None:
        self.recorded[response_id] = (school_code, frozenset(needs))


@dataclass
class FakeSignIns:
    """Sign-in links by hash, and the audit trail, in memory."""

    links: dict[str, tuple[int, datetime, datetime | None]] = field(default_factory=dict)
    trail: list[tuple[int, str, str]] = field(default_factory=list)
    ended: set[str] = field(default_factory=set)

    def add(self, token_hash: str, user_id: int, now: datetime, expires_at: datetime) -> None:
        self.links[token_hash] = (user_id, expires_at, None)

    def use(self, token_hash: str, now: datetime) -> int | None:
        found = self.links.get(token_hash)
        if found is None or found[2] is not None or found[1] <= now:
            return None
        self.links[token_hash] = (found[0], found[1], now)
        return found[0]

    def active(self, token_hash: str, since: datetime) -> int | None:
        found = self.links.get(token_hash)
        if found is None or token_hash in self.ended:
            return None
        user_id, _, used = found
        return user_id if used is not None and used > since else None

    def end(self, token_hash: str, now: datetime) -> None:
        self.ended.add(token_hash)

    def audit(self, user_id: int, action: str, subject: str, now: datetime) -> None:
        self.trail.append((user_id, action, subject))


@dataclass
class FakeUnitOfWork:
    """The repositories in memory; `flushed` counts the flushes asked for."""

    updates: FakeUpdateLog = field(default_factory=FakeUpdateLog)
    parents: FakeParents = field(default_factory=FakeParents)
    flows: FakeStoredFlows = field(default_factory=FakeStoredFlows)
    schools: FakeSchools = field(default_factory=FakeSchools)
    staff: FakeStaffMembers = field(default_factory=FakeStaffMembers)
    families: FakeFamilies = field(default_factory=FakeFamilies)
    digests: d.FakeDigests = field(default_factory=d.FakeDigests)
    mail: d.FakeMailOutbox = field(default_factory=d.FakeMailOutbox)
    recipients: d.FakeRecipients = field(default_factory=d.FakeRecipients)
    recalls: d.FakeRecalls = field(default_factory=d.FakeRecalls)
    unfinished: d.FakeUnfinished = field(default_factory=d.FakeUnfinished)
    expired: d.FakeExpired = field(default_factory=d.FakeExpired)
    outbox_rows: FakeOutboxRows = field(default_factory=FakeOutboxRows)
    exported: FakeExportedResponses = field(default_factory=FakeExportedResponses)
    translations: FakeTranslations = field(default_factory=FakeTranslations)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    broadcasts: FakeBroadcastDrafts = field(default_factory=FakeBroadcastDrafts)
    needs: FakeNeeds = field(default_factory=FakeNeeds)
    signins: FakeSignIns = field(default_factory=FakeSignIns)
    conversations: FakeConversations = field(default_factory=FakeConversations)
    flushed: int = 0

    def __post_init__(self) -> None:
        self.broadcasts.responses = lambda: self.parents.responses

    def flush(self) -> None:
        self.flushed += 1
