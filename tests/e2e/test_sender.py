"""The sender records what it sent, also when it is stopped right after sending."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot

from bot.service import store
from bot.service.replies import Replies
from bot.storage.calls import InThreads
from bot.storage.models import OutboxMessage
from bot.telegram.sender import Sender
from tests.fakes import FakeBotAPI

CHAT = 4242


def test_a_message_sent_just_before_stop_is_recorded_as_sent(
    api: FakeBotAPI, sessions: sessionmaker[Session]
) -> None:
    replies = Replies(CHAT)
    replies.send("Hallo")
    with sessions.begin() as db:
        queued = store.queue(db, replies, None)

    async def scenario() -> None:
        async with Bot(api.token, base_url=api.base_url) as bot:
            sender = Sender(bot, sessions, InThreads())
            await sender.start(sweep=False)
            sender.submit(queued)
            await api.async_wait_for_call("sendMessage")
            # Its sent mark may still be gathering with others: stopping must write it.
            await sender.stop()

    asyncio.run(scenario())
    with sessions() as db:
        row = db.scalars(select(OutboxMessage)).one()
    assert row.sent_at is not None
    assert [m.text for m in api.messages(CHAT)] == ["Hallo"]
