"""The mail sender on an in-memory unit of work and a real SMTP server on localhost."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, TypeVar

import pytest

from bot.digests.mail import BACKOFF, MAX_ATTEMPTS, RECLAIM, MailSender, SmtpServer
from bot.storage.models import MailMessage
from bot.storage.unit import UnitOfWork
from tests.fakes.clock import FakeClock, amsterdam
from tests.fakes.digests import FakeTransactions
from tests.fakes.smtp import SmtpServer as FakeSmtp
from tests.fakes.units import FakeUnitOfWork

T = TypeVar("T")
# The fake unit of work offers every repository the real one does.
_: UnitOfWork = FakeUnitOfWork()


class Here:
    """Runs database work at once, on the event loop: the fakes never block."""

    def __init__(self) -> None:
        self.after: Callable[[], None] | None = None

    async def call(self, work: Callable[..., T], *arguments: Any) -> T:
        result = work(*arguments)
        if self.after is not None:
            after, self.after = self.after, None
            after()  # what another transaction does between two of the sender's
        return result

    async def call_first(self, work: Callable[..., T], *arguments: Any) -> T:
        return await self.call(work, *arguments)

    def run(self, work: Callable[[], T]) -> T:
        return work()


@pytest.fixture
def smtp() -> Iterator[FakeSmtp]:
    with FakeSmtp() as server:
        yield server


def sender_for(
    smtp: FakeSmtp, *mails: MailMessage
) -> tuple[MailSender, FakeTransactions, FakeClock, Here]:
    clock = FakeClock(amsterdam(2026, 12, 7, 15, 30))
    transactions = FakeTransactions()
    for mail in mails:
        transactions.unit.mail.add(mail)
    calls = Here()
    server = SmtpServer.from_url(smtp.url, "bot@ouderbrug.example")
    return MailSender(transactions, server, clock, database=calls), transactions, clock, calls


def mail(digest_id: int | None = None, subject: str = "Overzicht") -> MailMessage:
    return MailMessage(
        digest_id=digest_id,
        recipients=["school@example.nl"],
        subject=subject,
        body="Twee gezinnen.\n",
        attachment_name=None,
        attachment=None,
        attempts=0,
    )


def test_a_due_e_mail_goes_out_once(smtp: FakeSmtp) -> None:
    sender, transactions, clock, _ = sender_for(smtp, mail())
    assert asyncio.run(sender.send_due()) == 1
    assert asyncio.run(sender.send_due()) == 0
    [received] = smtp.received
    assert received.message["Subject"] == "Overzicht"
    [stored] = transactions.unit.mail.mails
    assert (stored.sent_at, stored.last_error, stored.attempts) == (clock.now(), None, 1)


def test_a_refused_e_mail_waits_for_its_backoff_and_then_goes(smtp: FakeSmtp) -> None:
    sender, transactions, clock, _ = sender_for(smtp, mail())
    smtp.refuse(1)
    assert asyncio.run(sender.send_due()) == 0
    [stored] = transactions.unit.mail.mails
    assert stored.retry_at == clock.now() + BACKOFF
    assert stored.last_error is not None
    assert "451" in stored.last_error
    clock.advance(seconds=BACKOFF.total_seconds() - 1)
    assert asyncio.run(sender.send_due()) == 0  # not before the backoff is over
    clock.advance(seconds=1)
    assert asyncio.run(sender.send_due()) == 1
    assert stored.attempts == 2
    assert stored.last_error is None


def test_an_e_mail_refused_every_time_is_given_up_after_the_last_attempt(smtp: FakeSmtp) -> None:
    sender, transactions, clock, _ = sender_for(smtp, mail())
    smtp.refuse(MAX_ATTEMPTS)
    for _attempt in range(MAX_ATTEMPTS):
        assert asyncio.run(sender.send_due()) == 0
        clock.advance(hours=3)  # past the longest backoff
    [stored] = transactions.unit.mail.mails
    assert stored.attempts == MAX_ATTEMPTS
    assert stored.sent_at is not None
    assert stored.last_error is not None
    assert asyncio.run(sender.send_due()) == 0
    assert smtp.received == []


def test_an_e_mail_erased_after_its_claim_is_not_sent(smtp: FakeSmtp) -> None:
    sender, transactions, _, calls = sender_for(smtp, mail())
    calls.after = transactions.unit.mail.mails.clear  # a family asked to be erased meanwhile
    assert asyncio.run(sender.send_due()) == 0
    assert smtp.received == []


def test_only_the_digest_asked_for_is_sent(smtp: FakeSmtp) -> None:
    sender, transactions, _, _ = sender_for(smtp, mail(7, "Zeven"), mail(8, "Acht"))
    assert asyncio.run(sender.send_due(8)) == 1
    assert [r.message["Subject"] for r in smtp.received] == ["Acht"]
    assert [m.sent_at is None for m in transactions.unit.mail.mails] == [True, False]


def test_an_e_mail_another_sender_claimed_is_left_until_its_claim_is_old(smtp: FakeSmtp) -> None:
    claimed = mail()
    sender, _, clock, _ = sender_for(smtp, claimed)
    claimed.claimed_at = clock.now()
    assert asyncio.run(sender.send_due()) == 0
    clock.advance(seconds=(RECLAIM + timedelta(seconds=1)).total_seconds())
    assert asyncio.run(sender.send_due()) == 1
