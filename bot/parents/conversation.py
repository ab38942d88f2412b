"""A parent's conversation: each update handed to the use case it is for."""

from __future__ import annotations

from bot.engine.engine import Engine
from bot.engine.inputs import Choose, Command, Text
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import (
    AnotherChild,
    ChangeAnswers,
    ConfirmDelete,
    PickLanguage,
    ReadAloudOn,
    decode,
)
from bot.messages.incoming import (
    BotCommand,
    ButtonPressed,
    CommandSent,
    ContactShared,
    Edited,
    Typed,
    Unsupported,
    VoiceSent,
)
from bot.outbox.recall import DigestRewriter
from bot.parents import texts as msg
from bot.parents.amend import AnswerChanges
from bot.parents.commands import Commands
from bot.parents.contact import ContactCards
from bot.parents.effects import Effects
from bot.parents.erasure import Erasure
from bot.parents.language_choice import LanguageChoice
from bot.parents.ports import Flows, Schools, TargetLanguage, school_language
from bot.parents.reading import ReadAloud, SpeechProblem, no_speech
from bot.parents.room import ParentsRoom
from bot.parents.running import FlowRun
from bot.parents.siblings import NextChild
from bot.parents.status_report import StatusReport
from bot.parents.turn import Turn


class Conversations:
    """Handles parents' updates; returns what each leads to, for the front desk to store."""

    def __init__(
        self,
        flows: Flows,
        engine: Engine,
        localizers: Localizers,
        schools: Schools,
        default_flow: str,
        *,
        target_language: TargetLanguage = school_language,
        digests: DigestRewriter | None = None,
        speech: SpeechProblem = no_speech,
    ) -> None:
        room = ParentsRoom(flows, engine, localizers, schools, default_flow, target_language)
        self._room = room
        self._run = FlowRun(room)
        self._language = LanguageChoice(room, self._run)
        erasure = Erasure(room, digests)
        self._erasure = erasure
        self._changes = AnswerChanges(room, self._run)
        status = StatusReport(room, self._run)
        self._commands = Commands(room, self._run, status, erasure, self._changes)
        self._contact = ContactCards(room, self._run)
        self._next_child = NextChild(room, self._run)
        self._aloud = ReadAloud(room, self._run, speech)

    def handle(self, turn: Turn) -> Effects:
        """Act on one update from a parent; return its effects."""
        action = turn.incoming.action
        if isinstance(action, CommandSent) and action.command is BotCommand.START:
            self._language.remember_arrival(turn, action.argument)
        pressed = decode(action.data) if isinstance(action, ButtonPressed) else None
        if isinstance(pressed, PickLanguage):
            return self._language.pick(turn, pressed.code)
        if isinstance(pressed, ReadAloudOn) and isinstance(action, ButtonPressed):
            return self._aloud.picked(turn, action.message_id)
        if turn.parent.language is None or (
            isinstance(action, CommandSent) and action.command is BotCommand.LANGUAGE
        ):
            return self._language.ask(turn)
        texts = self._room.texts(turn)
        if isinstance(action, CommandSent):
            if action.command is BotCommand.VOICE:
                return self._aloud.toggled(turn)
            return self._commands.sent(turn, action)
        if isinstance(action, ButtonPressed):
            return self._button(turn, pressed)
        if isinstance(action, Typed):
            return self._run.answer(turn, Text(action.text))
        if isinstance(action, ContactShared):
            return self._contact.shared(turn, action)
        if isinstance(action, VoiceSent):
            return self._aloud.voice_note(turn, action)
        if isinstance(action, Unsupported):
            return turn.say(texts.gettext(msg.UNSUPPORTED))
        if isinstance(action, Edited):
            return turn.say(texts.gettext(msg.EDITED))
        return Effects()

    def _button(self, turn: Turn, pressed: object) -> Effects:
        if isinstance(pressed, ConfirmDelete):
            return self._erasure.confirmed(turn, pressed)
        if isinstance(pressed, ChangeAnswers):
            return self._changes.chosen(turn, pressed)
        if isinstance(pressed, AnotherChild):
            return turn.answer() + self._next_child.chosen(turn, pressed.choice)
        if isinstance(pressed, Choose | Command):
            return self._run.answer(turn, pressed)
        return turn.answer(self._room.texts(turn).gettext(msg.STALE_BUTTON))
