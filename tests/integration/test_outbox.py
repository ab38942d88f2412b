"""The outbox acts on what the messenger answered, and records it: Telegram stays outside."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.messages.replies import Replies
from bot.outbox.delivery import Outbox
from bot.outbox.outcomes import BLOCKED, Refused, Trouble, WaitFor
from bot.storage import queue as outbox
from bot.storage.models import OutboxMessage, Parent
from bot.storage.queue import Queued
from bot.storage.unit import Transactions
from bot.storage.work import InThreads
from tests.fakes.messenger import ScriptedMessenger

CHAT = 777


def queued_texts(sessions: sessionmaker[Session], chat_id: int, *texts: str) -> list[Queued]:
    replies = Replies(chat_id)
    for text in texts:
        replies.send(text)
    with sessions.begin() as db:
        return outbox.queue(db, replies, None)


def deliver(
    sessions: sessionmaker[Session],
    messenger: ScriptedMessenger,
    queued: list[Queued],
    **options: Any,
) -> None:
    async def scenario() -> None:
        sending = Outbox(messenger, Transactions(sessions), InThreads(), **options)
        await sending.start(sweep=False)
        sending.submit(queued)
        await asyncio.wait_for(sending.idle(), 10)
        await sending.stop()

    asyncio.run(scenario())


def stored(sessions: sessionmaker[Session]) -> list[tuple[str | None, bool, str | None]]:
    with sessions() as db:
        rows = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(r.payload.get("text"), r.sent_at is not None, r.last_error) for r in rows]


def test_a_flood_wait_is_waited_out_and_the_chat_keeps_its_order(
    sessions: sessionmaker[Session],
) -> None:
    messenger = ScriptedMessenger()
    messenger.answer_with(CHAT, WaitFor(0.05), Trouble("NetworkError"))
    deliver(sessions, messenger, queued_texts(sessions, CHAT, "Eerst", "Daarna"))
    assert messenger.delivered == [(CHAT, "Eerst"), (CHAT, "Daarna")]
    assert len(messenger.attempts) == 4
    assert stored(sessions) == [("Eerst", True, None), ("Daarna", True, None)]


def test_a_refused_message_is_given_up_with_its_reason_and_the_next_goes(
    sessions: sessionmaker[Session],
) -> None:
    messenger = ScriptedMessenger()
    messenger.answer_with(CHAT, Refused("BadRequest"))
    deliver(sessions, messenger, queued_texts(sessions, CHAT, "Te lang", "Kort"))
    assert messenger.delivered == [(CHAT, "Kort")]
    assert len(messenger.attempts) == 2  # never tried again
    assert stored(sessions) == [("Te lang", True, "BadRequest"), ("Kort", True, None)]


def test_a_chat_that_blocked_the_bot_is_noted_and_the_hook_is_told(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as db:
        db.add(Parent(telegram_user_id=CHAT, chat_id=CHAT))
    messenger = ScriptedMessenger()
    messenger.answer_with(CHAT, BLOCKED)
    told: list[int] = []

    def on_forbidden(chat_id: int) -> list[Queued]:
        told.append(chat_id)
        return queued_texts(sessions, CHAT + 1, "Een chat blokkeert de bot")

    deliver(sessions, messenger, queued_texts(sessions, CHAT, "Hallo"), on_forbidden=on_forbidden)
    assert told == [CHAT]
    assert messenger.delivered == [(CHAT + 1, "Een chat blokkeert de bot")]
    assert stored(sessions) == [
        ("Hallo", True, "Forbidden"),
        ("Een chat blokkeert de bot", True, None),
    ]
    with sessions() as db:
        assert db.scalars(select(Parent.blocked_at)).one() is not None


def test_a_message_handed_over_twice_is_sent_once(sessions: sessionmaker[Session]) -> None:
    messenger = ScriptedMessenger()
    queued = queued_texts(sessions, CHAT, "Eén keer")
    deliver(sessions, messenger, queued + queued)
    assert messenger.delivered == [(CHAT, "Eén keer")]
