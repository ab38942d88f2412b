"""Privacy end to end: /status shows what is stored, /delete recalls what is still waiting."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.storage.db import make_engine, session_factory
from bot.storage.models import MailMessage, School
from tests.e2e.harness import SCHOOLS, Parent, Settled, running_bot
from tests.e2e.test_parents import ARABIC, DUTCH, answer_everything
from tests.fakes import FakeBotAPI
from tests.fakes.clock import FakeClock, amsterdam
from tests.fakes.smtp import SmtpServer

STAFF = 7001
PHONE = "12345678"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def set_email(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with session_factory(engine).begin() as db:
            school = db.get(School, "16AH00")
            assert school is not None
            school.digest_emails = ["ib@regenboog.example"]
    finally:
        engine.dispose()


def mails_waiting(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            return int(db.scalar(select(func.count()).select_from(MailMessage)) or 0)
    finally:
        engine.dispose()


def test_status_shows_the_stored_answers_in_the_parents_language(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled
) -> None:
    async def scenario() -> None:
        async with running_bot(environment):
            parent = Parent(api, settled, 7301, "ar")
            await parent.send("/start 16AH00")
            await parent.press(ARABIC["language_name"])
            await answer_everything(parent, ARABIC)
            await parent.send("/status")
            # The answers, then the offer to change them, with a button per child.
            shown, offer = parent.texts()[-2:]
            assert offer.startswith("هل تريدون تغيير شيء؟")
            assert "De Regenboog" in shown
            assert ARABIC["group_6"] in shown
            assert ARABIC["remark"] in shown  # the parent's own words, as stored
            assert PHONE in shown

    asyncio.run(scenario())


def test_an_urgent_e_mail_waiting_for_the_mail_server_is_never_sent_after_delete(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    database_url: str,
    smtp: SmtpServer,
) -> None:
    clock = FakeClock(amsterdam(2026, 12, 7, 9, 0))
    environment = {**environment, "SMTP_URL": smtp.url, "SMTP_FROM": "ouderbrug@gemeente.example"}

    async def scenario() -> None:
        async with running_bot(environment, clock) as runtime:
            assert runtime.system.jobs is not None
            await Parent(api, settled, STAFF).send(f"/start staff-{SCHOOLS[0][3]}")
            await asyncio.to_thread(set_email, database_url)
            smtp.refuse(1000)  # the mail server is down
            parent = Parent(api, settled, 7302)
            await parent.send("/start 16AH00")
            await parent.press("Nederlands")
            await answer_everything(parent, DUTCH)
            await runtime.system.jobs.mail_pass()
            assert await asyncio.to_thread(mails_waiting, database_url) == 1
            await parent.send("/delete")
            assert "Wat de school al van ons heeft ontvangen" in parent.last_text
            await parent.press("Ja, wis alles")
            assert "Alles is gewist" in parent.last_text
            assert "blijft bij de school" in parent.last_text
            smtp.refuse(0)  # the mail server is back, and the backoff is over
            clock.set(amsterdam(2026, 12, 7, 11, 0))
            await runtime.system.jobs.mail_pass()

    asyncio.run(scenario())
    assert smtp.received == []
    assert mails_waiting(database_url) == 0
