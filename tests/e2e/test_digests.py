"""Digests end to end: the real bot, the fake Bot API, a real SMTP server, a fake clock."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.storage.db import make_engine, session_factory
from bot.storage.models import Parent as ParentRow
from bot.storage.models import Response
from tests.e2e.harness import SCHOOLS, Parent, Settled, running_bot
from tests.fakes import FakeBotAPI
from tests.fakes.clock import FakeClock, amsterdam
from tests.fakes.smtp import SmtpServer

STAFF = 7001


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


async def answer_everything(parent: Parent, *, urgent: bool) -> None:
    """Walk the default flow from a school link; urgent parents ask to be called."""
    await parent.send("/start 16AH00")
    await parent.press("Nederlands")
    await parent.press("Ja, ik doe mee")
    for label in ("Groep 5", "Tablet", "Klaar", "Nee", "Goed", "Ja", "Overslaan", "Overslaan"):
        await parent.press(label)
    if urgent:
        await parent.press("Bel mij op")
        await parent.send("06 12345678")
        await parent.press("Ja")
    else:
        await parent.press("Via deze chat")
    await parent.press("Alles klopt, versturen")


def families_in(api: FakeBotAPI, chat_id: int, database_url: str) -> list[str]:
    """Return the Telegram user ids of the families in the digests a chat received.

    The digest names no parent's account: its "write to the family" buttons name the
    family, which the database knows.
    """
    found = []
    for message in api.messages(chat_id):
        text = message.text or ""
        if text.startswith(("Ouderbrug:", "(deel")):
            assert "tg://" not in text
            found += [int(d[3:]) for d in message.callback_data if d.startswith("cw:")]
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            users = dict(
                db.execute(select(Response.id, ParentRow.telegram_user_id).join(ParentRow)).all()
            )
    finally:
        engine.dispose()
    return [str(users[response_id]) for response_id in found]


def test_staff_get_urgent_alerts_at_once_and_each_family_once_in_telegram_and_email(
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
            staff = Parent(api, settled, STAFF)
            await staff.send(f"/start staff-{SCHOOLS[0][3]}")
            await asyncio.to_thread(_set_email, database_url)
            await runtime.system.jobs.digest_pass()  # 09:00: the school's first digest is at 15:30
            urgent = Parent(api, settled, 7101)
            await answer_everything(urgent, urgent=True)
            alert = api.last_message(STAFF)
            assert (alert.text or "").startswith("Dringend: een ouder wil deze week gebeld worden.")
            for user_id in (7102, 7103, 7104):
                await answer_everything(Parent(api, settled, user_id), urgent=False)
            # Telegram fails for a while when the digest goes out: 500s, then flood limits.
            api.fail("sendMessage", status=500, times=3)
            api.fail("sendMessage", status=429, retry_after=1, times=2)
            clock.set(amsterdam(2026, 12, 7, 15, 30))
            await runtime.system.jobs.digest_pass()
            assert runtime.system.sender is not None
            await runtime.system.sender.idle()
            await runtime.system.jobs.mail_pass()
            # Later passes find nothing new to send.
            clock.set(amsterdam(2026, 12, 7, 15, 45))
            await runtime.system.jobs.digest_pass()
            await runtime.system.jobs.mail_pass()
            await runtime.system.sender.idle()

    asyncio.run(scenario())
    assert sorted(families_in(api, STAFF, database_url)) == ["7101", "7102", "7103", "7104"]
    assert sum("Dringend: een ouder" in (m.text or "") for m in api.messages(STAFF)) == 1
    alerts = [m for m in smtp.received if m.message["Subject"].startswith("Dringend")]
    digests = [m for m in smtp.received if m.message["Subject"].startswith("Ouderbrug-overzicht")]
    assert len(alerts) == 1
    assert len(digests) == 1
    [mail] = digests
    assert mail.recipients == ["ib@regenboog.example"]
    name, data = mail.attachment()
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 5  # the heading and four families
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            assert all(r.digest_id is not None for r in db.scalars(select(Response)))
    finally:
        engine.dispose()


def test_a_digest_stored_before_a_crash_is_sent_once_after_the_restart(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    database_url: str,
    tmp_path: Path,
) -> None:
    clock = FakeClock(amsterdam(2026, 12, 7, 9, 0))
    environment = {**environment, "OUTBOX_RECLAIM_SECONDS": "1"}

    async def before_the_crash() -> None:
        async with running_bot(environment, clock) as runtime:
            await Parent(api, settled, STAFF).send(f"/start staff-{SCHOOLS[0][3]}")
            await answer_everything(Parent(api, settled, 7201), urgent=False)
            # The digest is made and committed, and the process dies before sending it.
            clock.set(amsterdam(2026, 12, 7, 15, 31))
            made = await asyncio.to_thread(runtime.system.digests.run_due)
            assert len(made) == 1

    async def after_the_restart() -> None:
        async with running_bot(environment, clock):
            await api.async_wait_for_message(STAFF, contains="Ouderbrug: gezinnen")
            await asyncio.sleep(0)

    asyncio.run(before_the_crash())
    assert families_in(api, STAFF, database_url) == []
    clock.set(amsterdam(2026, 12, 7, 16, 0))
    asyncio.run(after_the_restart())
    assert families_in(api, STAFF, database_url) == ["7201"]


def test_the_helped_button_marks_the_family_and_ticks_itself(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    clock = FakeClock(amsterdam(2026, 12, 7, 15, 40))

    async def scenario() -> None:
        async with running_bot(environment, clock) as runtime:
            staff = Parent(api, settled, STAFF)
            await staff.send(f"/start staff-{SCHOOLS[0][3]}")
            await answer_everything(Parent(api, settled, 7301), urgent=False)
            made = await asyncio.to_thread(runtime.system.digests.send_now, "16AH00")
            assert made is not None
            assert runtime.system.sender is not None
            runtime.system.sender.submit(made.queued)
            await runtime.system.sender.idle()
            helped = await staff.press("1: geholpen")
            # Settled: the redrawn buttons went out from the outbox; the answer goes after.
            assert await staff.answer_to(helped) == "Genoteerd: geholpen."

    asyncio.run(scenario())
    digest = next(m for m in api.messages(STAFF) if (m.text or "").startswith("Ouderbrug:"))
    assert "✓ 1: geholpen" in [b["text"] for b in digest.buttons]
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            response = db.scalars(select(Response)).one()
            assert response.followup_status == "helped"
            assert response.followup_at is not None
            assert response.followup_staff_id is not None
    finally:
        engine.dispose()


def _set_email(database_url: str) -> None:
    from bot.storage.models import School

    engine = make_engine(database_url)
    try:
        with session_factory(engine).begin() as db:
            school = db.get(School, "16AH00")
            assert school is not None
            school.digest_emails = ["ib@regenboog.example"]
    finally:
        engine.dispose()
