"""/delete: erasing everything stored about a parent, once they confirmed it in time."""

from __future__ import annotations

import logging

from bot.clock import PROCESS
from bot.messages.callbacks import ConfirmDelete, encode
from bot.messages.replies import Button
from bot.outbox.recall import DigestRewriter, delete_played, recall_families
from bot.parents import texts as msg
from bot.parents.effects import Effects
from bot.parents.room import ParentsRoom
from bot.parents.turn import Turn

log = logging.getLogger(__name__)

# A delete confirmation older than this is refused: the parent must ask again.
DELETE_BUTTON_SECONDS = 15 * 60


class Erasure:
    """Asks a parent to confirm, then erases them and recalls what is about them."""

    def __init__(self, room: ParentsRoom, digests: DigestRewriter | None = None) -> None:
        self._room = room
        # Rewrites unsent digests without a family that is erased.
        self._digests = digests

    def ask(self, turn: Turn) -> Effects:
        """Ask whether to erase everything, with buttons that expire."""
        texts = self._room.texts(turn)
        issued = int(PROCESS.now().timestamp())
        rows = (
            (Button(texts.gettext(msg.DELETE_YES), encode(ConfirmDelete(True, issued))),),
            (Button(texts.gettext(msg.DELETE_NO), encode(ConfirmDelete(False, issued))),),
        )
        return turn.say(texts.gettext(msg.DELETE_CONFIRM), rows)

    def confirmed(self, turn: Turn, pressed: ConfirmDelete) -> Effects:
        """Erase the parent if they said yes in time; tell them what was done."""
        texts = self._room.texts(turn)
        callback = turn.pressed.callback_id if turn.pressed else None
        answered = turn.answer() if callback else Effects()
        if not pressed.confirmed:
            return answered + turn.say(texts.gettext(msg.DELETE_CANCELLED))
        if PROCESS.now().timestamp() - pressed.issued > DELETE_BUTTON_SECONDS:
            return answered + turn.say(texts.gettext(msg.DELETE_EXPIRED))
        # First: the links that find the messages about them go with the responses.
        responses = [r.id for r in turn.uow.parents.responses_of(turn.parent)]
        recall_families(turn.uow, responses, self._digests)
        deletions = delete_played(turn.uow, responses)
        turn.uow.parents.erase(turn.parent)
        log.info("parent erased on request")
        erased = Effects(erased=True, others=tuple(deletions))
        return answered + erased + turn.say(texts.gettext(msg.DELETED))
