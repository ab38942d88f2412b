"""Play the demo's families through the real service: the updates the bot's desk takes.

Each family opens its school's link, picks its language, and presses the buttons the
bot sent it (or types, where the question asks for text), exactly as Telegram would
deliver them. What is stored comes from the service, never from rows written here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.demo.families import Answer, Answers, Family
from bot.engine.inputs import Choose, Command, CommandName
from bot.flowfiles.registry import FlowRegistry
from bot.messages.callbacks import AnotherChild, PickLanguage, Pressed, decode
from bot.messages.incoming import Action, BotCommand, ButtonPressed, CommandSent, Incoming, Typed
from bot.reception.reception import Reception
from bot.schools.catalog import SchoolCatalog
from bot.storage.models import Parent, ParentSession

# Telegram's update ids are positive: the demo's are negative, so that no update of a
# real bot on this database is ever taken for one the demo already handled.
FIRST_UPDATE_ID = -1
# Telegram user ids the demo's parents have, one block; stored, so they can be told apart.
FIRST_USER_ID = 990_000_001
# A flow that keeps asking past this many questions is not one the demo can answer.
MOST_TURNS = 60


class DemoFlowError(RuntimeError):
    """The flow asked something the demo's families have no answer for."""


@dataclass
class Player:
    """Sends one person's updates to the desk and keeps the buttons it was sent."""

    desk: Reception
    user_id: int
    language: str
    update_ids: Iterator[int]
    # Every button sent to this person, oldest first; and those of the newest message.
    buttons: list[str] = field(default_factory=list)
    newest: list[str] = field(default_factory=list)

    def send(self, action: Action) -> None:
        """Deliver one update from this person, as the Telegram adapter would."""
        incoming = Incoming(
            update_id=next(self.update_ids),
            user_id=self.user_id,
            chat_id=self.user_id,
            language_code=self.language,
            name="",
            action=action,
        )
        handled = self.desk.handle(incoming)
        for queued in handled.queued:
            if queued.reply.buttons:
                self.newest = [button.data for row in queued.reply.buttons for button in row]
                self.buttons.extend(self.newest)

    def press(self, wanted: Pressed) -> None:
        """Press the newest button that means `wanted` (its question's seq aside)."""
        for data in reversed(self.buttons):
            if _same(decode(data), wanted):
                self.send(ButtonPressed(data, 1, f"demo-{self.user_id}"))
                return
        raise DemoFlowError(f"the bot offered no button for {wanted!r}")

    def offers(self, wanted: Pressed) -> bool:
        """Tell whether the newest message offers a button that means `wanted`."""
        return any(_same(decode(data), wanted) for data in self.newest)


def _same(pressed: Pressed | None, wanted: Pressed) -> bool:
    if isinstance(pressed, Choose) and isinstance(wanted, Choose):
        return pressed.key == wanted.key
    if isinstance(pressed, Command) and isinstance(wanted, Command):
        return pressed.name is wanted.name
    return pressed == wanted


@dataclass
class Simulation:
    """The desk the running bot has, played without Telegram and without staff."""

    sessions: sessionmaker[Session]
    desk: Reception
    update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(FIRST_UPDATE_ID, -1))

    def play(self, user_id: int, family: Family) -> int:
        """Let a family answer for each of its children; return how many it answered for."""
        player = Player(self.desk, user_id, family.language, self.update_ids)
        player.send(CommandSent(BotCommand.START, family.school))
        player.press(PickLanguage(family.language))
        children = (family.answers, *family.more_children)
        for number, answers in enumerate(children, start=1):
            self._answer(player, answers)
            player.press(AnotherChild("same" if number < len(children) else "none"))
        return len(children)

    def _answer(self, player: Player, answers: Answers) -> None:
        """Answer the questions of one child's session until it is completed."""
        for _ in range(MOST_TURNS):
            step = self._current_step(player.user_id)
            if step is None:
                return
            if step in answers:
                self._give(player, answers[step])
            elif player.offers(Command(CommandName.CONFIRM)):
                player.press(Command(CommandName.CONFIRM))
            else:
                raise DemoFlowError(f"the demo families have no answer to question {step!r}")
        raise DemoFlowError(f"the flow asked more than {MOST_TURNS} questions")

    @staticmethod
    def _give(player: Player, answer: Answer) -> None:
        if answer is None:
            player.press(Command(CommandName.SKIP))
        elif isinstance(answer, tuple):
            for key in answer:
                player.press(Choose(key))
            player.press(Command(CommandName.DONE))
        elif player.offers(Choose(answer)):
            player.press(Choose(answer))
        else:
            player.send(Typed(answer))

    def _current_step(self, user_id: int) -> str | None:
        """Return the question the parent's session in progress asks now, if any."""
        query = (
            select(ParentSession.state)
            .join(Parent)
            .where(Parent.telegram_user_id == user_id, ParentSession.status == "active")
        )
        with self.sessions() as db:
            state = db.scalars(query).first()
        return None if state is None else state.get("current")


def simulation(
    sessions: sessionmaker[Session],
    desk: Reception,
    registry: FlowRegistry,
    schools: SchoolCatalog,
    default_flow: str,
) -> Simulation:
    """Ready the desk the composition root built: its flows loaded, its schools read."""
    if registry.reload() and registry.current(default_flow) is None:
        raise DemoFlowError(
            "it does not pass `ouderbrug flows check`, so the bot would not serve it"
        )
    schools.refresh()
    return Simulation(sessions, desk)
