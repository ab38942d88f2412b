"""Playing a family's voice-note answer to school staff, from the button under a digest."""

from __future__ import annotations

from bot.digests import texts as msg
from bot.engine.answers import voice_file_id
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import PlayVoice
from bot.messages.incoming import ButtonPressed, Incoming
from bot.messages.replies import Replies
from bot.storage.unit import UnitOfWork


class VoicePlays:
    """Sends a voice note by its file id to the staff member who pressed its button."""

    def __init__(self, localizers: Localizers) -> None:
        self._localizers = localizers

    def press(self, uow: UnitOfWork, incoming: Incoming, pressed: PlayVoice) -> Replies:
        """Play the note if the presser is active staff of the family's school.

        Button data can be forged: anyone else, and a family erased or never there, get
        the same pop-up, so a press tells nobody whether a family exists.
        """
        replies = Replies(incoming.chat_id)
        assert isinstance(incoming.action, ButtonPressed)
        callback = incoming.action.callback_id
        schools = uow.staff.memberships(incoming.user_id)
        response = uow.families.for_followup(pressed.response_id) if schools else None
        file_id = None
        if response is not None and response.school_code in schools:
            file_id = voice_file_id(response.answers.get(pressed.step_id))
        if response is None or file_id is None:
            replies.answer(callback, self._localizers.get("nl").gettext(msg.VOICE_GONE))
            return replies
        replies.answer(callback)
        # Linked to the family: erasing it before the note went out recalls the note.
        replies.play(file_id, carrying=(response.id,))
        return replies
