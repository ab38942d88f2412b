"""Arbitrary updates, well formed and not, through the webhook into a real SQLite database.

Whatever arrives: no exception escapes, nothing is answered with a status Telegram
would retry forever (only 200 or 400, never 500 with a healthy database), and every
parent who sent something well formed gets an answer (a message or a press answered).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, sqlite_url
from bot.storage.migrate import upgrade
from bot.storage.models import OutboxMessage
from bot.system.build import build_system
from bot.system.lifecycle import Lifecycle
from bot.telegram.webhook import SECRET_HEADER, webhook_app
from tests.e2e.harness import SCHOOLS, seed_schools

SECRET = "property-test-webhook-secret-0123456789"
UPDATE_IDS = itertools.count(1)
MESSAGE_IDS = itertools.count(1)
# Every example is a parent the database has not seen: what it draws must not depend on
# what earlier examples stored. The drawn part spreads ids over the whole 64-bit range.
PARENTS = itertools.count(1)
LOW_BITS = 24
INT64 = 2**63 - 1


@dataclass
class Bot:
    """The webhook app around a system built by the root, and the database it writes to."""

    app: Any
    sessions: sessionmaker[Session]

    def outbox(self, chat_id: int) -> list[OutboxMessage]:
        with self.sessions() as db:
            rows = db.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.chat_id == chat_id)
                .order_by(OutboxMessage.id)
            )
            return list(rows)

    def sent(self, chat_id: int) -> int:
        with self.sessions() as db:
            query = select(func.count()).where(OutboxMessage.chat_id == chat_id)
            return int(db.scalar(query) or 0)


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[Bot]:
    url = sqlite_url(tmp_path / "ouderbrug.sqlite3")
    upgrade(url)
    seed_schools(url)
    # A token, so that the system is complete; its sender is never started: nothing is sent.
    token = SecretStr("1:x")
    configured = Settings(_env_file=None, database_url=url, data_dir=tmp_path)  # type: ignore[call-arg]
    lifecycle = Lifecycle(build_system(configured.model_copy(update={"telegram_bot_token": token})))
    lifecycle.prepare()
    system = lifecycle.system

    async def lifespan() -> AsyncIterator[None]:
        yield  # pragma: no cover - httpx's ASGI transport runs no lifespan

    app = webhook_app(system.handler, secret=SECRET, health=lifecycle.healthy, lifespan=lifespan)
    try:
        yield Bot(app, system.storage.sessions)
    finally:
        system.work.shutdown()
        system.storage.close()


# Strategies.

languages = st.sampled_from([None, "nl", "ar", "tr", "pl", "uk", "en", "pt-br", "xx", ""])
texts = st.text(max_size=300) | st.sampled_from(["/start", "/back", "/help", "/status", "Ja"])
payloads = st.sampled_from(["", *(code for code, *_ in SCHOOLS), "99ZZ99", "x" * 64])
huge = st.integers(min_value=2**63) | st.integers(max_value=-(2**63) - 1)
not_an_id = st.one_of(
    huge,
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)
number_text = st.integers(min_value=-(10**30), max_value=10**30).map(str)
forged_data = st.one_of(
    st.text(max_size=64),
    st.builds(lambda n, m: f"fu:c:{n}:{m}", number_text, number_text),
    st.builds(lambda n, m: f"fu:h:{n}:{m}", number_text, number_text),
    st.builds(lambda n, k: f"c:{n}:{k}", number_text, st.text(max_size=10)),
    st.builds(lambda n, k: f"k:{n}:{k}", number_text, st.sampled_from(["back", "skip", "x"])),
    st.builds(lambda n: f"del:yes:{n}", number_text),
    st.sampled_from(["lang:nl", "lang:zz", "child:same", "child:other", "del:no:1", ""]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


def parent_user(user_id: int, language: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Ouder"}
    if language is not None:
        user["language_code"] = language
    return user


def message(user: dict[str, Any], **content: Any) -> dict[str, Any]:
    chat = {"id": user["id"], "type": "private", "first_name": "Ouder"}
    body = {"message_id": next(MESSAGE_IDS), "date": 1, "from": user, "chat": chat, **content}
    return {"update_id": next(UPDATE_IDS), "message": body}


def press(user: dict[str, Any], data: str, message_id: int) -> dict[str, Any]:
    chat = {"id": user["id"], "type": "private"}
    query = {
        "id": str(next(UPDATE_IDS)),
        "from": user,
        "chat_instance": "1",
        "data": data,
        "message": {"message_id": message_id, "date": 1, "chat": chat, "text": "?"},
    }
    return {"update_id": next(UPDATE_IDS), "callback_query": query}


def button_data(bot: Bot, chat_id: int) -> list[tuple[int, str]]:
    """Return (outbox id, data) of every button the bot queued for the chat."""
    return [
        (row.id, button["data"])
        for row in bot.outbox(chat_id)
        for line in row.payload.get("buttons", [])
        for button in line
    ]


def broken(update: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """Return the update with one id replaced by something no Telegram update holds."""
    kind = "message" if "message" in update else "callback_query"
    path = data.draw(st.sampled_from(["update_id", "from.id", "chat.id"]))
    bad = data.draw(not_an_id)
    if path == "update_id":
        return {**update, "update_id": bad}
    body = dict(update[kind])
    if path == "from.id":
        body["from"] = {**body["from"], "id": bad}
    elif kind == "message":
        body["chat"] = {**body["chat"], "id": bad}
    else:
        inner = dict(body["message"])
        inner["chat"] = {**inner["chat"], "id": bad}
        body["message"] = inner
    return {**update, kind: body}


# The property.


async def post(client: httpx.AsyncClient, update: object) -> httpx.Response:
    # Written by Python's encoder, which (unlike httpx's) sends an infinite or NaN value as
    # the literal a forged request could hold: the bot must refuse that too.
    body = json.dumps(update).encode()
    headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}
    return await client.post("/telegram", content=body, headers=headers)


def answered(response: httpx.Response, bot: Bot, chat_id: int, before: int) -> bool:
    """Tell whether the bot answered: a reply queued for the chat, or the press answered."""
    if response.content and response.json().get("method") == "answerCallbackQuery":
        return True
    return bot.sent(chat_id) > before


def draw_update(kind: str, user: dict[str, Any], bot: Bot, data: st.DataObject) -> object:
    """Return an update of this kind from the parent, drawing what it carries."""
    user_id = user["id"]
    update: object
    if kind == "start":
        payload = data.draw(payloads)
        update = message(user, text=f"/start {payload}".strip())
    elif kind == "text":
        update = message(user, text=data.draw(texts))
    elif kind == "button" and (buttons := button_data(bot, user_id)):
        message_id, button = data.draw(st.sampled_from(buttons))
        update = press(user, button, message_id)
    elif kind in ("button", "forged"):
        message_id = data.draw(st.integers(min_value=1, max_value=INT64))
        update = press(user, data.draw(forged_data), message_id)
    elif kind == "contact":
        phone = data.draw(st.text(min_size=1, max_size=20))
        own = data.draw(st.booleans())
        card: dict[str, Any] = {"phone_number": phone, "first_name": "Ouder"}
        if own:
            card["user_id"] = user_id
        update = message(user, contact=card)
    elif kind == "sticker":
        update = message(user, sticker={"file_id": "x", "emoji": "👍"})
    elif kind == "elsewhere":
        # Someone else's chat named in a private update: only a forger does that.
        update = message(user, text=data.draw(texts))
        update["message"]["chat"] = {"id": user_id + 1, "type": "private"}
    elif kind == "broken":
        whole = message(user, text="/start") if data.draw(st.booleans()) else None
        update = broken(whole or press(user, "lang:nl", 1), data)
    else:
        update = data.draw(json_values, label="junk")
    return update


async def one_parent(bot: Bot, data: st.DataObject) -> None:
    high = data.draw(st.integers(min_value=0, max_value=INT64 >> LOW_BITS), label="user id")
    user_id = (high << LOW_BITS) + next(PARENTS)
    user = parent_user(user_id, data.draw(languages, label="language"))
    transport = httpx.ASGITransport(app=bot.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        steps = data.draw(st.integers(min_value=1, max_value=8), label="steps")
        for _ in range(steps):
            kind = data.draw(
                st.sampled_from(
                    [
                        "start",
                        "text",
                        "button",
                        "forged",
                        "contact",
                        "sticker",
                        "elsewhere",
                        "broken",
                        "junk",
                    ]
                ),
                label="kind",
            )
            valid = kind not in ("elsewhere", "broken", "junk")
            update = draw_update(kind, user, bot, data)
            event(kind)
            before = bot.sent(user_id)
            response = await post(client, update)
            assert response.status_code in (200, 400), (kind, response.status_code)
            if kind == "broken":
                assert response.status_code == 400, update
            if kind == "elsewhere":
                assert response.status_code == 200
                assert bot.sent(user_id) == before
                assert bot.sent(user_id + 1) == 0
            if valid:
                assert response.status_code == 200, kind
                assert answered(response, bot, user_id, before), (kind, update)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_update_is_answered_or_refused_and_never_retried_forever(
    bot: Bot, data: st.DataObject
) -> None:
    asyncio.run(one_parent(bot, data))
