"""The real Telegram updates in the shared reference data, one by one, ready to replay."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from bot.settings import PROJECT_DIR
from tests.fakes import FakeBotAPI

# Beside the project, as the DUO lists are found (tests/integration/test_schools_cli.py).
FOLDER = PROJECT_DIR.parent / "shared" / "data" / "telegram-updates"


@dataclass(frozen=True)
class RealUpdate:
    """One update as Telegram sent it, and what the bot owes for it."""

    name: str
    update: dict[str, Any]

    def fresh(self) -> dict[str, Any]:
        """Return a copy without its update_id: the examples share one, the fake gives new ones."""
        update = copy.deepcopy(self.update)
        update.pop("update_id", None)
        return update

    @property
    def press_id(self) -> str | None:
        """Return the button press's id, which must be answered."""
        query = self.update.get("callback_query")
        return str(query["id"]) if query else None

    @property
    def private_chat(self) -> int | None:
        """Return the chat a reply is owed in: a person's message in their own chat."""
        message = self.update.get("message") or self.update.get("edited_message")
        if not message or "from" not in message:
            return None
        chat_id = message["chat"]["id"]
        return int(chat_id) if chat_id == message["from"]["id"] else None


def real_updates() -> list[RealUpdate]:
    """Return every update in the folder, named by file and position; skip when it is absent."""
    if not FOLDER.is_dir():
        pytest.skip(f"no reference updates at {FOLDER}")
    found = []
    for path in sorted(FOLDER.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for index, update in enumerate(_updates_in(document)):
            found.append(RealUpdate(f"{path.stem}[{index}]", update))
    return found


def _updates_in(document: Any) -> Iterator[dict[str, Any]]:
    """Find the updates however a file wraps them: bare, in lists, in getUpdates answers."""
    if isinstance(document, list):
        for item in document:
            yield from _updates_in(item)
    elif isinstance(document, dict):
        if "update_id" in document:
            yield document
            return
        for key, value in document.items():
            if key != "_source":
                yield from _updates_in(value)


def answer_owed(api: FakeBotAPI, real: RealUpdate) -> Callable[[], bool] | None:
    """Return a test of whether the bot answered the update (call it before pushing it).

    A press is owed answerCallbackQuery; a person's message in their own chat a message.
    """
    press, chat = real.press_id, real.private_chat
    if press is not None:
        before = len(api.calls_to("answerCallbackQuery"))
        return lambda: any(
            call.params.get("callback_query_id") == press
            for call in api.calls_to("answerCallbackQuery")[before:]
        )
    if chat is not None:
        sent = len(api.messages(chat))
        return lambda: len(api.messages(chat)) > sent
    return None
