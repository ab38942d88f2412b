"""Choosing the language a parent is spoken to in, and the school they arrived by."""

from __future__ import annotations

from bot.i18n.languages import best_match
from bot.parents import texts as msg
from bot.parents.effects import Effects
from bot.parents.language import picker
from bot.parents.room import ParentsRoom
from bot.parents.running import FlowRun
from bot.parents.turn import Turn
from bot.schools.links import FlowLink, ParentLink, parse_payload


class LanguageChoice:
    """Asks for the parent's language, and goes on in the one they pick."""

    def __init__(self, room: ParentsRoom, run: FlowRun) -> None:
        self._room = room
        self._run = run

    def remember_arrival(self, turn: Turn, payload: str) -> None:
        """Keep the school (and flow) of the link the parent came by, when it is known.

        A flow link is known by its token only: one never handed out names nothing.
        """
        link = parse_payload(payload) if payload else None
        if isinstance(link, FlowLink):
            found = turn.uow.schools.parent_link(link.token)
            if found is not None:
                turn.parent.arrival_school = found.school_code
                turn.parent.arrival_flow = found.flow_id
        elif isinstance(link, ParentLink) and self._room.schools.get(link.code) is not None:
            turn.parent.arrival_school = link.code
            turn.parent.arrival_flow = None

    def ask(self, turn: Turn) -> Effects:
        """Show the picker, the parent's language (or Telegram's guess) first."""
        offered = self._room.languages_for(turn)
        chosen = turn.parent.language or best_match(turn.incoming.language_code, offered)
        prompt, rows = picker(
            self._room.localizers, chosen, offered, read_aloud=turn.parent.read_aloud
        )
        return turn.say(prompt, rows) + turn.answer()

    def pick(self, turn: Turn, code: str) -> Effects:
        """Speak the chosen language from now on, and ask the current question in it."""
        if code not in self._room.languages_for(turn):
            return self.ask(turn)  # forged, or a language this parent's flow does not speak
        turn.parent.language = code
        answered = turn.answer()
        current = turn.active_session()
        if current is None and turn.uow.parents.responses_of(turn.parent):
            # Sent already: a new language is no new child. Said in the language picked.
            texts = self._room.texts(turn)
            return answered + turn.say(texts.gettext(msg.ALREADY_SENT))
        if current is None:
            return answered + self._run.start(turn)
        return answered + self._run.reask(turn, current, language=code)
