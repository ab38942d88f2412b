"""A parent's conversation: language, flow sessions, status, erasure, another child."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy.orm import Session

from bot.engine.engine import Engine
from bot.engine.events import AnswerRecorded, Event, FlowCompleted, FlowDeclined, QuestionAsked
from bot.engine.flow import Flow, StepKind
from bot.engine.inputs import Choose, Command, CommandName, Input, Text
from bot.engine.state import AnswerValue, SessionState, Status
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.languages import best_match, supported
from bot.i18n.localizer import LanguageCatalog as Localizer
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import AnotherChild, ConfirmDelete, PickLanguage, decode, encode
from bot.messages.incoming import (
    BotCommand,
    ButtonPressed,
    CommandSent,
    ContactShared,
    Edited,
    Incoming,
    Typed,
    Unsupported,
)
from bot.messages.replies import Button, Replies
from bot.outbox.queue import Queued
from bot.outbox.recall import DigestRewriter
from bot.parents import texts as msg
from bot.parents.family import another_child_offer, chosen_school, family_answers, response_for
from bot.parents.language import picker
from bot.parents.present import present
from bot.parents.status import status_messages
from bot.schools.catalog import SchoolCatalog
from bot.schools.links import ParentLink, parse_payload
from bot.storage import store
from bot.storage.models import Parent, ParentSession, Response, utcnow
from bot.storage.unit import SqlUnitOfWork
from bot.translation import requests as translations
from bot.translation.requests import Job, TargetLanguage, school_language

log = logging.getLogger(__name__)

# A delete confirmation older than this is refused: the parent must ask again.
DELETE_BUTTON_SECONDS = 15 * 60
ENGINE_COMMANDS = {BotCommand.BACK: CommandName.BACK, BotCommand.RESTART: CommandName.RESTART}


@dataclass
class Turn:
    """One update being handled for one parent, inside its transaction."""

    db: Session
    parent: Parent
    incoming: Incoming
    replies: Replies
    # Set when the parent is erased: what is queued then belongs to nobody.
    erased: bool = False
    # Free-text answers to translate once this update's transaction has committed.
    jobs: list[Job] = field(default_factory=list)
    # Messages to other chats stored in this transaction (an urgent alert to the school).
    others: list[Queued] = field(default_factory=list)
    # The session in progress as loaded with the parent, or started by this update.
    session: ParentSession | None = None

    def active_session(self) -> ParentSession | None:
        """Return the parent's session in progress, if any (it may have ended meanwhile)."""
        session = self.session
        return session if session is not None and session.status == Status.ACTIVE else None

    @property
    def pressed(self) -> ButtonPressed | None:
        """Return the button press of this update, if it is one."""
        action = self.incoming.action
        return action if isinstance(action, ButtonPressed) else None


class Conversations:
    """Handles parents' updates: runs the engine and keeps every answer in the database."""

    def __init__(
        self,
        registry: FlowRegistry,
        engine: Engine,
        localizers: Localizers,
        schools: SchoolCatalog,
        default_flow: str,
        *,
        target_language: TargetLanguage = school_language,
        on_completed: Callable[[Session, Response], list[Queued]] | None = None,
        digests: DigestRewriter | None = None,
    ) -> None:
        self._registry = registry
        self._engine = engine
        self._localizers = localizers
        self._schools = schools
        self._default_flow = default_flow
        self._target_language = target_language
        # Called in the response's transaction: what it queues commits with the response.
        self._on_completed = on_completed
        # Rewrites unsent digests without a family that is erased.
        self._digests = digests

    def handle(self, turn: Turn) -> None:
        """Act on one update from a parent."""
        action = turn.incoming.action
        if isinstance(action, CommandSent) and action.command is BotCommand.START:
            self._remember_arrival(turn, action.argument)
        pressed = decode(action.data) if isinstance(action, ButtonPressed) else None
        if isinstance(pressed, PickLanguage):
            self._pick_language(turn, pressed.code)
            return
        if turn.parent.language is None or (
            isinstance(action, CommandSent) and action.command is BotCommand.LANGUAGE
        ):
            self._ask_language(turn)
            return
        texts = self._texts(turn)
        if isinstance(action, CommandSent):
            self._command(turn, action)
        elif isinstance(action, ButtonPressed):
            self._button(turn, pressed, action)
        elif isinstance(action, Typed):
            self._answer(turn, Text(action.text))
        elif isinstance(action, ContactShared):
            self._contact(turn, action)
        elif isinstance(action, Unsupported):
            turn.replies.send(texts.gettext(msg.UNSUPPORTED))
        elif isinstance(action, Edited):
            turn.replies.send(texts.gettext(msg.EDITED))

    # Language

    def _remember_arrival(self, turn: Turn, payload: str) -> None:
        link = parse_payload(payload) if payload else None
        if isinstance(link, ParentLink) and self._schools.get(link.code) is not None:
            turn.parent.arrival_school = link.code

    def _ask_language(self, turn: Turn) -> None:
        chosen = turn.parent.language or best_match(turn.incoming.language_code)
        prompt, rows = picker(self._localizers, chosen)
        turn.replies.send(prompt, rows)
        if turn.pressed is not None:
            turn.replies.answer(turn.pressed.callback_id)

    def _pick_language(self, turn: Turn, code: str) -> None:
        if code not in {lang.code for lang in supported()}:
            self._ask_language(turn)
            return
        turn.parent.language = code
        texts = self._texts(turn)
        if turn.pressed is not None:
            turn.replies.answer(turn.pressed.callback_id)
        current = turn.active_session()
        if current is None:
            self._start(turn, texts)
            return
        flow = self._flow_of(turn, current)
        if flow is None:
            return
        state = SessionState.from_json(current.state).with_changes(language=code)
        self._run(turn, current, flow, self._engine.reask(flow, state, texts))

    # Commands and buttons

    def _command(self, turn: Turn, sent: CommandSent) -> None:
        texts = self._texts(turn)
        command = sent.command
        if command is BotCommand.START:
            self._resume_or_start(turn, texts)
        elif command in ENGINE_COMMANDS:
            current = turn.active_session()
            if current is None:
                self._start(turn, texts)
            else:
                self._answer(turn, Command(ENGINE_COMMANDS[command]))
        elif command is BotCommand.HELP:
            turn.replies.send(texts.gettext(msg.HELP))
        elif command is BotCommand.STATUS:
            self._status(turn, texts)
        elif command is BotCommand.STOP:
            turn.parent.reminders_off_at = utcnow()
            turn.replies.send(texts.gettext(msg.REMINDERS_OFF))
        elif command is BotCommand.DELETE:
            issued = int(utcnow().timestamp())
            rows = (
                (Button(texts.gettext(msg.DELETE_YES), encode(ConfirmDelete(True, issued))),),
                (Button(texts.gettext(msg.DELETE_NO), encode(ConfirmDelete(False, issued))),),
            )
            turn.replies.send(texts.gettext(msg.DELETE_CONFIRM), rows)
        else:
            turn.replies.send(texts.gettext(msg.UNKNOWN_COMMAND))

    def _button(self, turn: Turn, pressed: object, action: ButtonPressed) -> None:
        texts = self._texts(turn)
        if isinstance(pressed, ConfirmDelete):
            self._confirm_delete(turn, pressed, texts)
        elif isinstance(pressed, AnotherChild):
            turn.replies.answer(action.callback_id)
            self._another_child(turn, pressed.choice, texts)
        elif isinstance(pressed, Choose | Command):
            self._answer(turn, pressed)
        else:
            turn.replies.answer(action.callback_id, texts.gettext(msg.STALE_BUTTON))

    def _confirm_delete(self, turn: Turn, pressed: ConfirmDelete, texts: Localizer) -> None:
        callback = turn.pressed.callback_id if turn.pressed else None
        if callback:
            turn.replies.answer(callback)
        if not pressed.confirmed:
            turn.replies.send(texts.gettext(msg.DELETE_CANCELLED))
        elif utcnow().timestamp() - pressed.issued > DELETE_BUTTON_SECONDS:
            turn.replies.send(texts.gettext(msg.DELETE_EXPIRED))
        else:
            store.erase_parent(turn.db, turn.parent, self._digests)
            turn.erased = True
            turn.replies.send(texts.gettext(msg.DELETED))
            log.info("parent erased on request")

    def _contact(self, turn: Turn, shared: ContactShared) -> None:
        texts = self._texts(turn)
        if turn.active_session() is None:
            turn.replies.send(texts.gettext(msg.HELP))
        elif not self._asks_phone(turn):
            # A card is a phone number, never a remark, a number or a school.
            turn.replies.send(texts.gettext(msg.CONTACT_NOT_ASKED))
        elif not shared.own:
            turn.replies.send(texts.gettext(msg.NOT_OWN_CONTACT))
        else:
            self._answer(turn, Text(shared.phone))

    def _asks_phone(self, turn: Turn) -> bool:
        current = turn.active_session()
        flow = self._flow_of(turn, current) if current is not None else None
        if current is None or flow is None:
            return False
        step_id = SessionState.from_json(current.state).current
        return (
            step_id is not None
            and flow.has_step(step_id)
            and flow.step(step_id).kind is StepKind.PHONE
        )

    # The flow

    def _resume_or_start(self, turn: Turn, texts: Localizer) -> None:
        current = turn.active_session()
        if current is None:
            self._start(turn, texts)
            return
        flow = self._flow_of(turn, current)
        if flow is not None:
            state = SessionState.from_json(current.state)
            self._run(turn, current, flow, self._engine.reask(flow, state, texts))

    def _start(
        self,
        turn: Turn,
        texts: Localizer,
        *,
        context: dict[str, str] | None = None,
        known: dict[str, AnswerValue] | None = None,
        child_number: int = 1,
    ) -> None:
        flow = self._registry.current(self._default_flow)
        if flow is None:
            turn.replies.send(texts.gettext(msg.NOT_AVAILABLE))
            log.error("no usable flow %r to start", self._default_flow)
            return
        if context is None:
            context = {"school": turn.parent.arrival_school} if turn.parent.arrival_school else {}
        session = ParentSession(
            parent_id=turn.parent.id,
            flow_id=flow.id,
            flow_revision=flow.revision,
            state={},
            status=Status.ACTIVE.value,
            child_number=child_number,
        )
        turn.db.add(session)
        turn.session = session
        result = self._engine.start(
            flow,
            language=texts.language,
            texts=texts,
            context=context,
            known=known,
        )
        self._run(turn, session, flow, result)

    def _answer(self, turn: Turn, given: Input) -> None:
        texts = self._texts(turn)
        current = turn.active_session()
        if current is None:
            if turn.pressed is not None:
                turn.replies.answer(turn.pressed.callback_id, texts.gettext(msg.STALE_BUTTON))
            else:
                turn.replies.send(texts.gettext(msg.HELP))
            return
        flow = self._flow_of(turn, current)
        if flow is None:
            turn.replies.send(texts.gettext(msg.NOT_AVAILABLE))
            return
        state = SessionState.from_json(current.state)
        self._run(turn, current, flow, self._engine.handle(flow, state, given, texts))

    def _run(
        self,
        turn: Turn,
        session: ParentSession,
        flow: Flow,
        result: tuple[SessionState, list[Event]],
    ) -> None:
        """Store what the engine returned, then queue what it says to send."""
        state, events = result
        texts = self._texts(turn)
        store.save_state(turn.db, session, state.to_json(), state.status.value)
        pressed = turn.pressed
        present(
            events,
            turn.replies,
            texts,
            pressed_on=pressed.message_id if pressed else None,
            callback_id=pressed.callback_id if pressed else None,
            contact_label=texts.gettext(msg.SHARE_CONTACT),
        )
        for event in events:
            if isinstance(event, AnswerRecorded):
                self._recorded(turn, session, flow, state, event)
            elif isinstance(event, FlowCompleted):
                self._completed(turn, session, flow, state, texts)
            elif isinstance(event, FlowDeclined):
                log.info("flow %s declined", flow.id)

    def _recorded(
        self,
        turn: Turn,
        session: ParentSession,
        flow: Flow,
        state: SessionState,
        recorded: AnswerRecorded,
    ) -> None:
        """Ask for a free-text answer's translation into the language its school reads."""
        if not isinstance(recorded.value, str) or not flow.has_step(recorded.step_id):
            return
        if flow.step(recorded.step_id).kind is not StepKind.TEXT:
            return
        if session.id is None:
            turn.db.flush()  # a new session needs its id before a translation can name it
        target = self._target_language(turn.db, chosen_school(flow, state))
        job = translations.request(
            turn.db, session.id, recorded.step_id, recorded.value, state.language, target
        )
        if job is not None:
            turn.jobs.append(job)

    def _completed(
        self,
        turn: Turn,
        session: ParentSession,
        flow: Flow,
        state: SessionState,
        texts: Localizer,
    ) -> None:
        code = chosen_school(flow, state)
        school = self._schools.get(code) if code else None
        turn.db.flush()  # the session needs its id before the response can name it
        response = response_for(session, flow, state, school)
        turn.db.add(response)
        log.info("response stored for flow %s", flow.id)
        if self._on_completed is not None:
            turn.db.flush()
            turn.others += self._on_completed(turn.db, response)
        turn.replies.send(*another_child_offer(school, texts))

    def _another_child(self, turn: Turn, choice: str, texts: Localizer) -> None:
        if choice == "none" or turn.active_session() is not None:
            turn.replies.send(texts.gettext(msg.ALL_DONE))
            return
        last = store.last_session(turn.db, turn.parent)
        responses = store.responses_of(turn.db, turn.parent)
        if last is None or not responses:
            self._start(turn, texts)
            return
        known = family_answers(self._flow_of(turn, last), responses[-1].answers)
        context = {}
        if choice == "same" and responses[-1].school_code:
            context = {"school": responses[-1].school_code}
        self._start(turn, texts, context=context, known=known, child_number=last.child_number + 1)

    def _status(self, turn: Turn, texts: Localizer) -> None:
        progress = None
        current = turn.active_session()
        flow = self._flow_of(turn, current) if current is not None else None
        if current is not None and flow is not None:
            state = SessionState.from_json(current.state)
            _, events = self._engine.reask(flow, state, texts)
            asked = next((e for e in events if isinstance(e, QuestionAsked)), None)
            progress = asked.progress if asked is not None else None
        responses = store.responses_of(turn.db, turn.parent)
        flow_of = partial(self._registry.revision, uow=SqlUnitOfWork(turn.db))
        for text in status_messages(responses, progress, self._schools, texts, flow_of):
            turn.replies.send(text)

    # Helpers

    def _texts(self, turn: Turn) -> Localizer:
        return self._localizers.get(turn.parent.language or "nl")

    def _flow_of(self, turn: Turn, session: ParentSession) -> Flow | None:
        flow = self._registry.revision(session.flow_revision, SqlUnitOfWork(turn.db))
        if flow is None:
            log.error(
                "session %s names flow revision %s, which is not stored",
                session.id,
                session.flow_revision,
            )
        return flow
