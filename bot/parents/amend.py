"""Changing the answers already sent for one child, from /status.

The parent answers that child's questions again, in a session that names the response it
changes; finishing it changes that response in place, never adds one, so the school
counts the child once and its next digest shows what changed.
"""

from __future__ import annotations

from bot.messages.callbacks import ChangeAnswers, encode
from bot.messages.replies import Button
from bot.parents import texts as msg
from bot.parents.effects import NOTHING, Effects
from bot.parents.room import ParentsRoom
from bot.parents.running import FlowRun
from bot.parents.turn import Turn


class AnswerChanges:
    """Offers a finished family to change a child's answers, and starts that change."""

    def __init__(self, room: ParentsRoom, run: FlowRun) -> None:
        self._room = room
        self._run = run

    def offer(self, turn: Turn) -> Effects:
        """Return one button per child sent, when nothing is under way; else nothing."""
        if turn.active_session() is not None:
            return NOTHING
        responses = turn.uow.parents.responses_of(turn.parent)
        if not responses:
            return NOTHING
        texts = self._room.texts(turn)
        rows = tuple(
            (
                Button(
                    texts.gettext(msg.CHANGE_CHILD)
                    % {"number": texts.format_number(response.child_number)},
                    encode(ChangeAnswers(response.id)),
                ),
            )
            for response in responses
        )
        return turn.say(texts.gettext(msg.CHANGE_OFFER), rows)

    def chosen(self, turn: Turn, pressed: ChangeAnswers) -> Effects:
        """Start answering again for the child of the response, if it is this parent's."""
        texts = self._room.texts(turn)
        if turn.active_session() is not None:
            return turn.answer() + turn.say(texts.gettext(msg.FINISH_FIRST))
        own = turn.uow.parents.responses_of(turn.parent)
        response = next((r for r in own if r.id == pressed.response_id), None)
        if response is None:
            # Another parent's id, an erased one or a forged one: the same answer for all.
            return turn.answer(texts.gettext(msg.STALE_BUTTON))
        flow = self._room.flows.current(response.flow_id) or self._room.flows.revision(
            response.flow_revision, turn.uow
        )
        if flow is None:
            return turn.answer() + turn.say(texts.gettext(msg.NOT_AVAILABLE))
        context = {"school": response.school_code} if response.school_code else {}
        return turn.answer() + self._run.start(
            turn,
            flow=flow,
            context=context,
            child_number=response.child_number,
            amends=response.id,
        )
