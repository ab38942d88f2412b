"""The parents' room on a fake unit of work: real flows and texts, nothing stored on disk."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from bot.background.retention import RetentionRules
from bot.engine.engine import Engine
from bot.engine.flow import Flow
from bot.engine.state import SchoolMatch
from bot.flowfiles.checker import check_folder
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import decode
from bot.messages.incoming import Action, BotCommand, ButtonPressed, CommandSent, Incoming, Typed
from bot.messages.replies import Reply
from bot.parents.conversation import Conversations
from bot.parents.effects import Effects, Happened
from bot.parents.privacy import flow_values
from bot.parents.reading import SpeechProblem, no_speech
from bot.parents.turn import Turn
from bot.schools.directory import IndexDirectory
from bot.schools.duo import School
from bot.schools.search import SchoolIndex
from bot.settings import PROJECT_DIR
from bot.storage.unit import UnitOfWork
from bot.translation.requests import Job
from tests.fakes.units import FakeUnitOfWork

DEFAULT_FLOW = "thuissituatie"
INSTALLATION = flow_values(
    "Gemeente Voorbeeld", "https://voorbeeld.example/privacy", RetentionRules()
)
SCHOOLS = [
    School("16AH00", "De Regenboog", None, None, None, "UTRECHT", None, None, None, "po"),
    School("20XY00", "De Klimop", None, None, None, "ZWOLLE", None, None, None, "po"),
]


def load_flows(folder: Path = PROJECT_DIR / "flows") -> dict[str, Flow]:
    """Return the usable flows of a folder, by id, checked as the bot checks them."""
    checked = check_folder(folder, PROJECT_DIR / "locales")
    flows = [result.flow for result in checked.files.values() if result.flow is not None]
    return {flow.id: flow for flow in flows}


@dataclass
class FakeFlows:
    """The flows in memory, found by id and by revision."""

    by_id: dict[str, Flow]

    def current(self, flow_id: str) -> Flow | None:
        return self.by_id.get(flow_id)

    def revision(self, revision: str, uow: UnitOfWork) -> Flow | None:
        return next((f for f in self.by_id.values() if f.revision == revision), None)


class FakeSchools:
    """The schools parents may pick, without a database."""

    def __init__(self, schools: list[School]) -> None:
        self._directory = IndexDirectory(SchoolIndex(schools))

    def search(self, query: str, limit: int) -> list[SchoolMatch]:
        return list(self._directory.search(query, limit))

    def get(self, code: str) -> SchoolMatch | None:
        return self._directory.get(code)

    def describe(self, code: str | None) -> str:
        match = self.get(code) if code else None
        if match is None:
            return code or ""
        return f"{match.name}, {match.town}" if match.town else match.name


@dataclass
class Chat:
    """Parents talking to the room; what it returned is kept per parent."""

    conversations: Conversations
    uow: FakeUnitOfWork = field(default_factory=FakeUnitOfWork)
    sent: dict[int, list[Reply]] = field(default_factory=dict)
    happened: list[Happened] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def act(self, user_id: int, action: Action, language_code: str = "nl") -> Effects:
        """Hand one update to the room, as the front desk does; return its effects."""
        incoming = Incoming(next(self.update_ids), user_id, user_id, language_code, "O", action)
        parent, session = self.uow.parents.for_user(user_id, user_id)
        effects = self.conversations.handle(Turn(self.uow, parent, incoming, session))
        self.sent.setdefault(user_id, []).extend(effects.replies)
        self.happened += effects.happened
        self.jobs += effects.jobs
        return effects

    def say(self, user_id: int, text: str) -> Effects:
        """Send a typed message, or a /command when it starts with a slash."""
        if text.startswith("/"):
            name, _, rest = text[1:].partition(" ")
            return self.act(user_id, CommandSent(BotCommand(name), rest))
        return self.act(user_id, Typed(text))

    def press(self, user_id: int, label: str) -> Effects:
        """Press the newest button with this label (or starting with it)."""
        return self.act(user_id, ButtonPressed(self.button(user_id, label), 1, "cb"))

    def button(self, user_id: int, label: str) -> str:
        """Return the data of the newest button with this label."""
        for reply in reversed(self.sent.get(user_id, [])):
            for row in reply.buttons:
                for button in row:
                    if button.text == label or button.text.lstrip("✓• ").startswith(label):
                        assert decode(button.data) is not None
                        return button.data
        raise AssertionError(f"no button {label!r} in {self.sent.get(user_id)}")

    def last_text(self, user_id: int) -> str:
        """Return the text of the last message to a parent."""
        return next(r.text for r in reversed(self.sent[user_id]) if r.action == "send")

    def texts(self, effects: Effects) -> list[str]:
        """Return the texts of the messages among some effects."""
        return [r.text for r in effects.replies if r.action == "send"]


def conversations(
    flows: dict[str, Flow], localizers: Localizers, speech: SpeechProblem = no_speech
) -> Conversations:
    """Wire the room as the composition root does, on fakes."""
    schools = FakeSchools(SCHOOLS)
    engine = Engine(schools, INSTALLATION)
    return Conversations(FakeFlows(flows), engine, localizers, schools, DEFAULT_FLOW, speech=speech)


def join(chat: Chat, user_id: int, school: str = "16AH00") -> None:
    """Arrive by a school's link, pick Dutch and take part."""
    chat.say(user_id, f"/start {school}")
    chat.press(user_id, "Nederlands")
    chat.press(user_id, "Ja, ik doe mee")


def walk_to_the_end(chat: Chat, user_id: int) -> Effects:
    """Answer the default flow after consent, asking to be called soon; return the last step."""
    for label in ("Groep 6", "Tablet", "Klaar", "Nee", "Alleen internet op de telefoon", "Nee"):
        chat.press(user_id, label)
    for label in ("Wij lezen of spreken weinig Nederlands", "Klaar"):
        chat.press(user_id, label)
    chat.press(user_id, "Een laptop of tablet lenen")
    chat.press(user_id, "Klaar")
    chat.say(user_id, "Mijn zoon heeft geen bureau.")
    chat.press(user_id, "Bel mij op")
    chat.say(user_id, "06 12345678")
    chat.press(user_id, "Ja")  # call soon
    return chat.press(user_id, "Alles klopt, versturen")
