"""The slash commands a parent may send: /start, /back, /restart, /help, /status, /stop, /delete."""

from __future__ import annotations

from bot.engine.inputs import Command, CommandName
from bot.messages.incoming import BotCommand, CommandSent
from bot.parents import texts as msg
from bot.parents.amend import AnswerChanges
from bot.parents.effects import Effects
from bot.parents.erasure import Erasure
from bot.parents.room import ParentsRoom
from bot.parents.running import FlowRun
from bot.parents.status_report import StatusReport
from bot.parents.turn import Turn
from bot.storage.models import utcnow

# Commands the engine itself knows, within a session.
ENGINE_COMMANDS = {BotCommand.BACK: CommandName.BACK, BotCommand.RESTART: CommandName.RESTART}


class Commands:
    """Acts on a parent's command; /language is the language choice's."""

    def __init__(
        self,
        room: ParentsRoom,
        run: FlowRun,
        status: StatusReport,
        erasure: Erasure,
        changes: AnswerChanges,
    ) -> None:
        self._room = room
        self._run = run
        self._status = status
        self._erasure = erasure
        self._changes = changes

    def sent(self, turn: Turn, sent: CommandSent) -> Effects:
        """Return what the command does and says."""
        texts = self._room.texts(turn)
        command = sent.command
        if command is BotCommand.START:
            return self._run.resume_or_start(turn)
        if command in ENGINE_COMMANDS:
            if turn.active_session() is not None:
                return self._run.answer(turn, Command(ENGINE_COMMANDS[command]))
            if turn.uow.parents.responses_of(turn.parent):
                # Starting over here would add the same child a second time: a family that
                # wants to correct something changes that child's answers instead.
                return turn.say(texts.gettext(msg.ALREADY_SENT))
            return self._run.start(turn)
        if command is BotCommand.HELP:
            return turn.say(texts.gettext(msg.HELP))
        if command is BotCommand.STATUS:
            return self._status.told(turn) + self._changes.offer(turn)
        if command is BotCommand.STOP:
            turn.parent.reminders_off_at = utcnow()
            return turn.say(texts.gettext(msg.REMINDERS_OFF))
        if command is BotCommand.DELETE:
            return self._erasure.ask(turn)
        return turn.say(texts.gettext(msg.UNKNOWN_COMMAND))
