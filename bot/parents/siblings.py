"""Another child: the questions again, with what the family already answered."""

from __future__ import annotations

from bot.parents import texts as msg
from bot.parents.effects import Effects
from bot.parents.family import family_answers
from bot.parents.room import ParentsRoom
from bot.parents.running import FlowRun
from bot.parents.turn import Turn
from bot.storage.repositories.parents import answers_of


class NextChild:
    """Starts a session for the family's next child, at the same school or another one."""

    def __init__(self, room: ParentsRoom, run: FlowRun) -> None:
        self._room = room
        self._run = run

    def chosen(self, turn: Turn, choice: str) -> Effects:
        """Act on the parent's answer to the offer: 'same', 'other' or 'none'."""
        if choice == "none" or turn.active_session() is not None:
            return turn.say(self._room.texts(turn).gettext(msg.ALL_DONE))
        parents = turn.uow.parents
        last = parents.last_session(turn.parent)
        responses = parents.responses_of(turn.parent)
        if last is None or not responses:
            return self._run.start(turn)
        flow = self._room.flow_of(turn, last)
        known = family_answers(flow, answers_of(responses[-1]))
        context = {}
        if choice == "same" and responses[-1].school_code:
            context = {"school": responses[-1].school_code}
        # After the highest child sent: the last session may have changed an earlier one.
        number = max(r.child_number for r in responses) + 1
        return self._run.start(turn, context=context, known=known, child_number=number)
