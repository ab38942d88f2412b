"""Reading the questions aloud, and voice notes as answers to free-text questions."""

from __future__ import annotations

from collections.abc import Callable

from bot.engine.flow import StepKind
from bot.engine.inputs import Spoken
from bot.i18n.catalogs import SOURCE_LANGUAGE
from bot.i18n.languages import best_match
from bot.messages.incoming import VoiceSent
from bot.messages.replies import Replies
from bot.parents import texts as msg
from bot.parents.effects import Effects, said
from bot.parents.language import picker
from bot.parents.room import ParentsRoom
from bot.parents.running import FlowRun
from bot.parents.turn import Turn

# Why speech cannot be made on this machine, or None when it can.
SpeechProblem = Callable[[], str | None]


def no_speech() -> str | None:
    """Say that this process makes no speech (the terminal preview, some tests)."""
    return "no speech synthesizer configured"


class ReadAloud:
    """Turns reading aloud on and off, and takes voice notes where a free text is asked."""

    def __init__(self, room: ParentsRoom, run: FlowRun, speech: SpeechProblem) -> None:
        self._room = room
        self._run = run
        self._speech = speech

    def toggled(self, turn: Turn) -> Effects:
        """Turn reading aloud on or off (/voice); when on, read the current question."""
        parent = turn.parent
        parent.read_aloud = not parent.read_aloud
        texts = self._room.texts(turn)
        if not parent.read_aloud:
            return turn.say(texts.gettext(msg.VOICE_OFF))
        said = turn.say(texts.gettext(self._on_text()))
        current = turn.active_session()
        return said if current is None else said + self._run.reask(turn, current)

    def picked(self, turn: Turn, message_id: int) -> Effects:
        """Turn reading aloud on from the language picker, and tick its button there."""
        turn.parent.read_aloud = True
        # The picker as it was shown: the parent's language, or Telegram's guess, first.
        offered = self._room.languages_for(turn)
        chosen = turn.parent.language or best_match(turn.incoming.language_code, offered)
        texts = self._room.localizers.get(chosen or SOURCE_LANGUAGE)
        _, rows = picker(self._room.localizers, chosen, offered, read_aloud=True)
        replies = Replies(turn.incoming.chat_id)
        replies.edit_markup(message_id, rows)
        return turn.answer(texts.gettext(self._on_text())) + said(replies)

    def voice_note(self, turn: Turn, voice: VoiceSent) -> Effects:
        """Take a voice note as the answer to a free-text question; refuse it elsewhere."""
        current = self._run.current_state(turn)
        if current is not None:
            flow, state = current
            if state.current is not None and flow.step(state.current).kind is StepKind.TEXT:
                return self._run.answer(turn, Spoken(voice.file_id))
        return turn.say(self._room.texts(turn).gettext(msg.UNSUPPORTED))

    def _on_text(self) -> str:
        return msg.VOICE_ON if self._speech() is None else msg.VOICE_LIMITED
