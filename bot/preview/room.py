"""The parents' room for the terminal preview: the same use cases, on a database of its own.

The preview talks to the room exactly as Telegram's updates do, so what it shows is what a
parent reads: the language picker, the questions, "another child?", /help and /status.
Its database is a temporary SQLite file, created for one preview and gone after it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from bot.engine.engine import Engine
from bot.engine.flow import Flow, StepKind
from bot.engine.ports import SchoolDirectory
from bot.engine.state import AnswerValue, SchoolMatch
from bot.flowfiles.stored import dump
from bot.i18n.localizer import Localizers
from bot.messages.incoming import Action, Incoming
from bot.messages.replies import Reply
from bot.parents.conversation import Conversations
from bot.parents.turn import Turn
from bot.storage.db import make_engine, session_factory
from bot.storage.models import Base, Response
from bot.storage.repositories.flows import FlowRevision
from bot.storage.repositories.parents import answers_of, state_of
from bot.storage.unit import Transactions, UnitOfWork

# The one parent of a preview, as Telegram would name them.
USER = 1


@dataclass(frozen=True, slots=True)
class PreviewFlows:
    """The flows of the folder as read, found by id and by revision."""

    by_id: Mapping[str, Flow]

    def current(self, flow_id: str) -> Flow | None:
        """Return the flow new sessions of this id start on."""
        return self.by_id.get(flow_id)

    def revision(self, revision: str, uow: UnitOfWork) -> Flow | None:
        """Return the flow of this revision."""
        return next((f for f in self.by_id.values() if f.revision == revision), None)


class PreviewSchools:
    """The schools the preview may find: a DUO list or the imported ones, else none."""

    def __init__(self, directory: SchoolDirectory | None) -> None:
        self._directory = directory

    def search(self, query: str, limit: int) -> list[SchoolMatch]:
        """Return the schools best matching what was typed."""
        return list(self._directory.search(query, limit)) if self._directory else []

    def get(self, code: str) -> SchoolMatch | None:
        """Return the school with this code, if known."""
        return self._directory.get(code) if self._directory else None

    def describe(self, code: str | None) -> str:
        """Return 'Name, Town' for a code, or the code itself when unknown."""
        match = self.get(code) if code else None
        if match is None:
            return code or ""
        return f"{match.name}, {match.town}" if match.town else match.name


class PreviewRoom:
    """One parent talking to the parents' room; `send` returns what the bot answers."""

    def __init__(
        self,
        transactions: Transactions,
        conversations: Conversations,
        flows: PreviewFlows,
        school: str | None,
    ) -> None:
        self._transactions = transactions
        self._conversations = conversations
        self._flows = flows
        self._school = school
        self._updates = itertools.count(1)

    def send(self, action: Action, language_code: str | None = None) -> list[Reply]:
        """Hand the room one update from the parent, in its own transaction."""
        with self._transactions.begin() as uow:
            parent, session = uow.parents.for_user(USER, USER)
            if self._school and parent.arrival_school is None:
                # As if they arrived by the school's link, known to the preview or not.
                parent.arrival_school = self._school
            incoming = Incoming(next(self._updates), USER, USER, language_code, "", action)
            effects = self._conversations.handle(Turn(uow, parent, incoming, session))
        return list(effects.replies)

    def asking(self) -> StepKind | None:
        """Return the kind of question the parent is at, or None when nothing is under way."""
        with self._transactions.read() as uow:
            _parent, session = uow.parents.for_user(USER, USER)
            if session is None:
                return None
            flow = self._flows.revision(session.flow_revision, uow)
            current = state_of(session).current
            return flow.step(current).kind if flow and current else None

    def stored(self) -> list[tuple[Response, list[tuple[str, AnswerValue]]]]:
        """Return each response kept, with its answers in the flow's order."""
        with self._transactions.read() as uow:
            parent, _ = uow.parents.for_user(USER, USER)
            found = []
            for response in uow.parents.responses_of(parent):
                answers = answers_of(response)
                flow = self._flows.revision(response.flow_revision, uow)
                order = [s.id for s in flow.steps] if flow else list(answers)
                found.append((response, [(k, answers[k]) for k in order if k in answers]))
            return found


@contextmanager
def preview_room(
    flows: Mapping[str, Flow],
    flow_id: str,
    engine: Engine,
    localizers: Localizers,
    schools: PreviewSchools,
    school: str | None,
) -> Iterator[PreviewRoom]:
    """Open a room on a temporary database holding these flows; removed when done."""
    with TemporaryDirectory(prefix="ouderbrug-preview-") as folder:
        database = make_engine(f"sqlite:///{Path(folder) / 'preview.sqlite3'}")
        try:
            Base.metadata.create_all(database)
            transactions = Transactions(session_factory(database))
            with transactions.begin() as uow:
                for flow in flows.values():
                    uow.flows.add(
                        FlowRevision(flow.revision, flow.id, flow.version, "", dump(flow))
                    )
            known = PreviewFlows(flows)
            conversations = Conversations(known, engine, localizers, schools, flow_id)
            yield PreviewRoom(transactions, conversations, known, school)
        finally:
            database.dispose()
