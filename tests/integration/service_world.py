"""A whole service stack on a real database, driven without Telegram: for desk tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from bot.background.retention import RetentionRules
from bot.coordinators.flows import reload_flows
from bot.engine.engine import Engine
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import decode
from bot.messages.incoming import (
    Action,
    BotCommand,
    ButtonPressed,
    CommandSent,
    Incoming,
    Typed,
)
from bot.messages.replies import Reply
from bot.parents.conversation import Conversations
from bot.parents.ports import TargetLanguage, school_language
from bot.parents.privacy import flow_values
from bot.reception.reception import Reception
from bot.schools.catalog import SchoolCatalog
from bot.settings import PROJECT_DIR
from bot.staff.desk import StaffDesk
from bot.storage.models import School
from bot.storage.unit import Transactions
from bot.translation.requests import TranslationQueue

# Who runs the bot, as the consent question names it.
INSTALLATION = flow_values(
    "Gemeente Voorbeeld", "https://voorbeeld.example/privacy", RetentionRules()
)
SCHOOLS = [
    ("16AH00", "De Regenboog", "UTRECHT", "token-regenboog-16ah00-aaaaaaaaaaaa"),
    ("17BX01", "Het Anker", "ZWOLLE", "token-anker-17bx01-bbbbbbbbbbbbbbbbbb"),
]


@dataclass
class World:
    """The desk with real flows, catalogs and schools; remembers what it sent to whom."""

    sessions: sessionmaker[Session]
    desk: Reception
    registry: FlowRegistry
    updates: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    sent: dict[int, list[Reply]] = field(default_factory=dict)
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def act(self, user_id: int, action: Action, *, update_id: int | None = None) -> list[Reply]:
        """Send one update from a user; return the replies it produced."""
        incoming = Incoming(
            update_id=next(self.updates) if update_id is None else update_id,
            user_id=user_id,
            chat_id=user_id,
            language_code="nl",
            name="Test Ouder",
            action=action,
        )
        handled = self.desk.handle(incoming)
        replies = [q.reply for q in handled.queued]
        if handled.popup is not None:
            replies.append(handled.popup)
        self.sent.setdefault(user_id, []).extend(replies)
        return replies

    def say(self, user_id: int, text: str) -> list[Reply]:
        """Send a typed message, or a /command when it starts with a slash."""
        if text.startswith("/"):
            name, _, rest = text[1:].partition(" ")
            return self.act(user_id, CommandSent(BotCommand(name), rest))
        return self.act(user_id, Typed(text))

    def button(self, user_id: int, label: str) -> str:
        """Return the data of the newest button with this label (or starting with it)."""
        for reply in reversed(self.sent.get(user_id, [])):
            for row in reply.buttons:
                for button in row:
                    if button.text == label or button.text.lstrip("✓• ").startswith(label):
                        assert decode(button.data) is not None
                        return button.data
        raise AssertionError(f"no button {label!r} in {self.sent.get(user_id)}")

    def press(self, user_id: int, label: str) -> list[Reply]:
        """Press the newest button with this label."""
        return self.act(user_id, ButtonPressed(self.button(user_id, label), 1, "cb"))

    def last_text(self, user_id: int) -> str:
        """Return the text of the last message sent to a user."""
        return next(r.text for r in reversed(self.sent[user_id]) if r.action == "send")


def build_world(
    sessions: sessionmaker[Session],
    *,
    translator: TranslationQueue | None = None,
    target_language: TargetLanguage = school_language,
) -> World:
    """Wire the service as the runtime does, on the given database."""
    with sessions.begin() as db:
        for code, name, town, token in SCHOOLS:
            if db.get(School, code) is None:
                db.add(School(code=code, name=name, town=town, staff_token=token))
    registry = FlowRegistry(sessions, PROJECT_DIR / "flows", PROJECT_DIR / "locales")
    registry.reload()
    schools = SchoolCatalog(sessions)
    schools.refresh()
    localizers = Localizers(PROJECT_DIR / "locales")
    conversations = Conversations(
        registry,
        Engine(schools, INSTALLATION),
        localizers,
        schools,
        "thuissituatie",
        target_language=target_language,
    )
    staff = StaffDesk(registry, schools, localizers.get("nl"))
    desk = Reception(
        Transactions(sessions),
        conversations,
        staff,
        frozenset({99}),
        reload_flows=partial(reload_flows, registry, schools),
        translator=translator,
    )
    return World(sessions, desk, registry)
