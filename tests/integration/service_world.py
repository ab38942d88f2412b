"""A whole service stack on a real database, driven without Telegram: for desk tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.flowfiles.registry import FlowRegistry
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
from bot.reception.reception import Reception
from bot.settings import PROJECT_DIR, Settings
from bot.storage.models import School
from bot.system.build import System, build_system
from bot.system.storage import Storage
from bot.translation.worker import BackgroundTranslator

COORDINATOR = 99
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
        # Each reply is kept for the chat it goes to: an urgent family's last answer also
        # tells the coordinators, whose message is not the parent's.
        for queued in handled.queued:
            self.sent.setdefault(queued.chat_id, []).append(queued.reply)
        replies = [q.reply for q in handled.queued]
        if handled.popup is not None:
            self.sent.setdefault(user_id, []).append(handled.popup)
            replies.append(handled.popup)
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


def world_settings(sessions: sessionmaker[Session], **more: Any) -> Settings:
    """Return the settings of the test installation, on the database behind `sessions`."""
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        flows_dir=PROJECT_DIR / "flows",
        locales_dir=PROJECT_DIR / "locales",
        default_flow="thuissituatie",
        organisation_name="Gemeente Voorbeeld",
        privacy_url="https://voorbeeld.example/privacy",
        coordinator_ids=[COORDINATOR],
        **more,
    )


def build_system_on(
    sessions: sessionmaker[Session],
    *,
    clock: Clock | None = None,
    translator: BackgroundTranslator | None = None,
    **settings: Any,
) -> System:
    """Build the system as the bot does, on the given database, with the test schools."""
    with sessions.begin() as db:
        for code, name, town, token in SCHOOLS:
            if db.get(School, code) is None:
                db.add(School(code=code, name=name, town=town, staff_token=token))
    system = build_system(
        world_settings(sessions, **settings),
        clock=clock,
        storage=Storage.on(sessions),
        translator=translator,
    )
    system.registry.reload()
    system.schools.refresh()
    return system


def build_world(
    sessions: sessionmaker[Session], *, translator: BackgroundTranslator | None = None
) -> World:
    """Wire the service as the bot does, on the given database."""
    system = build_system_on(sessions, translator=translator)
    return World(sessions, system.reception, system.registry)
