"""The engine's events, each handled by a small function that returns its effects.

As in goflow's host: the engine only reports what happened; one handler per event type
(looked up in HANDLERS) stores, asks for translations and tells other rooms.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.answers import voice_file_id
from bot.engine.events import AnswerRecorded, Event, FlowCompleted, FlowDeclined
from bot.engine.flow import Flow, StepKind
from bot.engine.ports import Localizer
from bot.engine.state import SchoolMatch, SessionState
from bot.parents import texts as msg
from bot.parents.effects import NOTHING, Effects, ResponseChanged, ResponseCompleted
from bot.parents.family import another_child_offer, chosen_school
from bot.parents.room import ParentsRoom
from bot.parents.turn import Turn
from bot.storage.models import ParentSession
from bot.translation import requests

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Ran:
    """A step the engine took on a session, as the handlers of its events see it."""

    room: ParentsRoom
    turn: Turn
    session: ParentSession
    flow: Flow
    # The state after the step, as stored.
    state: SessionState
    texts: Localizer


def recorded(ran: Ran, event: AnswerRecorded) -> Effects:
    """Ask for a free-text answer's translation into the language its school reads."""
    flow = ran.flow
    if not isinstance(event.value, str) or not flow.has_step(event.step_id):
        return NOTHING
    if flow.step(event.step_id).kind is not StepKind.TEXT or voice_file_id(event.value):
        return NOTHING  # a voice note has no words to translate
    uow = ran.turn.uow
    target = ran.room.target_language(uow, chosen_school(flow, ran.state))
    if ran.session.id is None:
        uow.flush()  # a new session needs its id before a translation can name it
    job = requests.ask(
        uow.translations, ran.session.id, event.step_id, event.value, ran.state.language, target
    )
    return NOTHING if job is None else Effects(jobs=(job,))


def completed(ran: Ran, event: FlowCompleted) -> Effects:
    """Store the response, tell whoever listens, and offer to answer for another child."""
    code = chosen_school(ran.flow, ran.state)
    school = ran.room.schools.get(code) if code else None
    if ran.session.amends_response_id is not None:
        return _changed(ran, event, ran.session.amends_response_id, school)
    response = ran.turn.uow.parents.add_response(ran.session, ran.flow, ran.state, school)
    log.info("response stored for flow %s", ran.flow.id)
    offer = ran.turn.say(*another_child_offer(school, ran.texts))
    return Effects(happened=(ResponseCompleted(response.id),)) + offer


def _changed(
    ran: Ran, event: FlowCompleted, response_id: int, school: SchoolMatch | None
) -> Effects:
    """Change the response the session was started to change; the child stays one child."""
    parents = ran.turn.uow.parents
    response = next((r for r in parents.responses_of(ran.turn.parent) if r.id == response_id), None)
    if response is None:
        # Erased meanwhile by retention: what was answered now is a child of its own again.
        ran.session.amends_response_id = None
        return completed(ran, event)
    before = dict(response.answers)
    parents.change_response(response, ran.session, ran.flow, ran.state, school)
    log.info("response changed for flow %s", ran.flow.id)
    changed = Effects(happened=(ResponseChanged(response_id, before),))
    return changed + ran.turn.say(ran.texts.gettext(msg.CHANGES_SAVED))


def declined(ran: Ran, event: FlowDeclined) -> Effects:
    """Note a declined consent: the engine already dropped the answers."""
    log.info("flow %s declined", ran.flow.id)
    return NOTHING


HANDLERS: Mapping[type, Callable[[Ran, Any], Effects]] = {
    AnswerRecorded: recorded,
    FlowCompleted: completed,
    FlowDeclined: declined,
}


def outcomes(ran: Ran, events: Sequence[Event]) -> Effects:
    """Return the effects of the events, in order; events without a handler only show."""
    effects = NOTHING
    for event in events:
        handler = HANDLERS.get(type(event))
        if handler is not None:
            effects += handler(ran, event)
    return effects
