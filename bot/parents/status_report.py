"""/status: what is stored about the parent, and how far they are with the questions."""

from __future__ import annotations

from datetime import datetime

from bot.clock import AMSTERDAM, aware
from bot.engine.events import QuestionAsked
from bot.parents import texts as msg
from bot.parents.effects import Effects
from bot.parents.room import ParentsRoom
from bot.parents.running import FlowRun
from bot.parents.status import FlowOf, status_messages
from bot.parents.turn import Turn


class StatusReport:
    """Tells a parent what is kept about them, child by child."""

    def __init__(self, room: ParentsRoom, run: FlowRun) -> None:
        self._room = room
        self._run = run

    def told(self, turn: Turn) -> Effects:
        """Return /status as messages: finished responses, then the session under way."""
        room = self._room
        texts = room.texts(turn)
        progress = None
        under_way = self._run.current_state(turn)
        if under_way is not None:
            flow, state = under_way
            # The engine knows where the parent is; asking again changes nothing stored.
            _, events = room.engine.reask(flow, state, texts)
            asked = next((e for e in events if isinstance(e, QuestionAsked)), None)
            progress = asked.progress if asked is not None else None
        responses = turn.uow.parents.responses_of(turn.parent)
        effects = Effects()
        for text in status_messages(responses, progress, room.schools, texts, self._flow_of(turn)):
            effects += turn.say(text)
        conversations = self._conversations(turn)
        if conversations:
            effects += turn.say(conversations)
        return effects

    def _conversations(self, turn: Turn) -> str:
        """Return a line per school the parent writes with: the conversation is stored too."""
        texts = self._room.texts(turn)
        latest: dict[str, datetime] = {}
        for message in turn.uow.conversations.of_parent(turn.parent.id):
            latest[message.school_code] = message.created_at
        return "\n".join(
            texts.gettext(msg.STATUS_CONVERSATION)
            % {
                "school": texts.isolate(self._room.schools.describe(code)),
                "date": texts.format_datetime(aware(when).astimezone(AMSTERDAM)),
            }
            for code, when in latest.items()
        )

    def _flow_of(self, turn: Turn) -> FlowOf:
        return lambda revision: self._room.flows.revision(revision, turn.uow)
