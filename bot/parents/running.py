"""Running a flow for a parent: starting, resuming, answering, and storing each step."""

from __future__ import annotations

import logging

from bot.engine.events import Event
from bot.engine.flow import Flow
from bot.engine.inputs import Input
from bot.engine.state import AnswerValue, SessionState
from bot.messages.replies import Replies
from bot.parents import texts as msg
from bot.parents.effects import Effects, said
from bot.parents.outcomes import Ran, outcomes
from bot.parents.present import present
from bot.parents.room import ParentsRoom
from bot.parents.turn import Turn
from bot.storage.models import ParentSession
from bot.storage.repositories.parents import state_of

log = logging.getLogger(__name__)

Result = tuple[SessionState, list[Event]]


class FlowRun:
    """Takes a parent's session through the engine, one step per update."""

    def __init__(self, room: ParentsRoom) -> None:
        self._room = room

    def start(
        self,
        turn: Turn,
        *,
        context: dict[str, str] | None = None,
        known: dict[str, AnswerValue] | None = None,
        child_number: int = 1,
        flow: Flow | None = None,
        amends: int | None = None,
    ) -> Effects:
        """Begin a session on the parent's flow (or `flow`), at the school they arrived by.

        `amends` names the finished response the session changes.
        """
        room = self._room
        texts = room.texts(turn)
        if flow is None:
            chosen = room.flow_for(turn)
            if isinstance(chosen, str):
                return turn.say(texts.gettext(chosen))
            flow = chosen
        if context is None:
            school = turn.parent.arrival_school
            context = {"school": school} if school else {}
        session = turn.uow.parents.start(turn.parent, flow, child_number)
        session.amends_response_id = amends
        turn.session = session
        result = room.engine.start(
            flow, language=texts.language, texts=texts, context=context, known=known
        )
        return self.run(turn, session, flow, result)

    def resume_or_start(self, turn: Turn) -> Effects:
        """Ask the question the parent was at again, or begin when nothing is under way."""
        current = turn.active_session()
        if current is None:
            return self.start(turn)
        return self.reask(turn, current)

    def reask(self, turn: Turn, session: ParentSession, language: str | None = None) -> Effects:
        """Ask the current question again (in a newly chosen language, when given)."""
        flow = self._room.flow_of(turn, session)
        if flow is None:
            return Effects()
        state = state_of(session)
        if language is not None:
            state = state.with_changes(language=language)
        texts = self._room.texts(turn)
        return self.run(turn, session, flow, self._room.engine.reask(flow, state, texts))

    def answer(self, turn: Turn, given: Input) -> Effects:
        """Give the engine the parent's answer (a text, a choice, a command)."""
        texts = self._room.texts(turn)
        current = turn.active_session()
        if current is None:
            if turn.pressed is not None:
                return turn.answer(texts.gettext(msg.STALE_BUTTON))
            return turn.say(texts.gettext(msg.HELP))
        flow = self._room.flow_of(turn, current)
        if flow is None:
            return turn.say(texts.gettext(msg.NOT_AVAILABLE))
        state = state_of(current)
        return self.run(turn, current, flow, self._room.engine.handle(flow, state, given, texts))

    def run(self, turn: Turn, session: ParentSession, flow: Flow, result: Result) -> Effects:
        """Store what the engine returned; return what to show and what its events lead to."""
        state, events = result
        texts = self._room.texts(turn)
        turn.uow.parents.save_state(session, state)
        pressed = turn.pressed
        replies = Replies(turn.incoming.chat_id)
        present(
            events,
            replies,
            texts,
            pressed_on=pressed.message_id if pressed else None,
            callback_id=pressed.callback_id if pressed else None,
            contact_label=texts.gettext(msg.SHARE_CONTACT),
            read_aloud=texts.language if turn.parent.read_aloud else None,
        )
        ran = Ran(self._room, turn, session, flow, state, texts)
        return said(replies) + outcomes(ran, events)

    def current_state(self, turn: Turn) -> tuple[Flow, SessionState] | None:
        """Return the flow and state of the session in progress, if there is one to go on."""
        current = turn.active_session()
        flow = self._room.flow_of(turn, current) if current is not None else None
        if current is None or flow is None:
            return None
        return flow, state_of(current)
