"""A shared contact card: taken as the answer only where a phone number is asked."""

from __future__ import annotations

from bot.engine.flow import StepKind
from bot.engine.inputs import Text
from bot.messages.incoming import ContactShared
from bot.parents import texts as msg
from bot.parents.effects import Effects
from bot.parents.room import ParentsRoom
from bot.parents.running import FlowRun
from bot.parents.turn import Turn


class ContactCards:
    """Answers the phone question with the parent's own card, and refuses any other."""

    def __init__(self, room: ParentsRoom, run: FlowRun) -> None:
        self._room = room
        self._run = run

    def shared(self, turn: Turn, card: ContactShared) -> Effects:
        """Take the card's number as the answer, or say why it is not."""
        texts = self._room.texts(turn)
        if turn.active_session() is None:
            return turn.say(texts.gettext(msg.HELP))
        if not self._asks_phone(turn):
            # A card is a phone number, never a remark, a number or a school.
            return turn.say(texts.gettext(msg.CONTACT_NOT_ASKED))
        if not card.own:
            return turn.say(texts.gettext(msg.NOT_OWN_CONTACT))
        return self._run.answer(turn, Text(card.phone))

    def _asks_phone(self, turn: Turn) -> bool:
        under_way = self._run.current_state(turn)
        if under_way is None:
            return False
        flow, state = under_way
        step_id = state.current
        return (
            step_id is not None
            and flow.has_step(step_id)
            and flow.step(step_id).kind is StepKind.PHONE
        )
