"""Send what the mail outbox holds through SMTP (aiosmtplib), retrying with backoff."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol, TypeVar
from urllib.parse import unquote, urlsplit

import aiosmtplib

from bot.clock import Clock
from bot.storage.models import MailMessage
from bot.storage.unit import UnitOfWork
from bot.storage.work import DatabaseCalls, InThreads

log = logging.getLogger(__name__)
T = TypeVar("T")

# After the n-th failed attempt wait BACKOFF * 2**(n-1), at most MAX_BACKOFF; give up after
# MAX_ATTEMPTS (about a day), so a wrong address cannot be retried for ever.
BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=2)
MAX_ATTEMPTS = 16
# An e-mail a crashed process claimed but never finished is taken over after this long.
RECLAIM = timedelta(minutes=5)
# How many e-mails one pass claims; the rest wait for the next pass.
BATCH = 50
SCHEMES = ("smtp", "smtp+starttls", "smtps")


class Units(Protocol):
    """Opens the units of work the sender claims and records on (bot.storage.unit.Transactions)."""

    def begin(self) -> AbstractContextManager[UnitOfWork]:
        """Open a transaction that commits when the block ends."""
        ...

    def read(self) -> AbstractContextManager[UnitOfWork]:
        """Open a unit for reading only."""
        ...


class SmtpUrlError(ValueError):
    """An SMTP_URL that cannot be used; the message says what to write."""


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where and how to hand e-mail over: host, port, login, and which TLS."""

    host: str
    port: int
    username: str | None
    password: str | None
    # smtps: TLS from the start; smtp+starttls: STARTTLS required; smtp: STARTTLS if offered.
    use_tls: bool
    start_tls: bool | None
    sender: str

    @classmethod
    def from_url(cls, url: str, sender: str) -> SmtpServer:
        """Read smtp://user:pass@host:port (or smtps://, smtp+starttls://)."""
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise SmtpUrlError(
                "SMTP_URL must look like smtp://user:password@mail.example.nl:587 "
                "(smtps:// for TLS from the start, smtp+starttls:// to require STARTTLS)."
            )
        try:
            port = parts.port
        except ValueError as error:
            raise SmtpUrlError(f"SMTP_URL has an invalid port: {error}") from None
        use_tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=port or (465 if use_tls else 587),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=use_tls,
            start_tls=True if parts.scheme == "smtp+starttls" else None if not use_tls else False,
            sender=sender,
        )


def email_of(row: MailMessage, sender: str) -> EmailMessage:
    """Return the e-mail for a mail outbox row, with a Message-ID that names the row."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(row.recipients)
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    # The same id on a resend after a crash, so a mail client can tell it is a duplicate.
    domain = sender.rpartition("@")[2] or "ouderbrug.local"
    message["Message-ID"] = make_msgid(idstring=f"ouderbrug-mail-{row.id}", domain=domain)
    message.set_content(row.body)
    if row.attachment is not None:
        message.add_attachment(
            row.attachment.encode("utf-8-sig"),  # with BOM: Excel then reads it as UTF-8
            maintype="text",
            subtype="csv",
            filename=row.attachment_name or "ouderbrug.csv",
        )
    return message


class MailSender:
    """Delivers the mail outbox; each e-mail is claimed first, so two processes never share one."""

    def __init__(
        self,
        transactions: Units,
        server: SmtpServer,
        clock: Clock,
        *,
        database: DatabaseCalls | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._transactions = transactions
        self._server = server
        self._clock = clock
        # The bot's database threads; on their own, asyncio's.
        self._database = database or InThreads()
        self._timeout = timeout

    async def send_due(self, digest_id: int | None = None) -> int:
        """Send every e-mail that is due (or only a digest's); return how many went out."""
        rows = await self._db(self._claim, digest_id)
        sent = 0
        for claimed in rows:
            # As stored now: an erase since the claim deleted the e-mail (the family asked
            # for it, it must not go) or rewrote a digest's body and CSV without them.
            row = await self._db(self._current, claimed.id)
            if row is None:
                continue
            error = await self._send(row)
            await self._db(self._record, row.id, row.attempts, error)
            sent += error is None
        return sent

    async def _db(self, work: Callable[..., T], *arguments: Any) -> T:
        return await self._database.call(work, *arguments)

    def _claim(self, digest_id: int | None) -> list[MailMessage]:
        now = self._clock.now()
        with self._transactions.begin() as unit:
            return unit.mail.claim(now, now - RECLAIM, digest_id, BATCH)

    async def _send(self, row: MailMessage) -> str | None:
        server = self._server
        try:
            await aiosmtplib.send(
                email_of(row, server.sender),
                sender=server.sender,
                recipients=row.recipients,
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.use_tls,
                start_tls=server.start_tls,
                timeout=self._timeout,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            code = getattr(error, "code", None)
            reason = f"{type(error).__name__} {code}" if code else type(error).__name__
            log.warning("e-mail %s not sent (attempt %d): %s", row.id, row.attempts, reason)
            return reason[:200]
        log.info("e-mail %s sent to %d addresses", row.id, len(row.recipients))
        return None

    def _current(self, mail_id: int) -> MailMessage | None:
        """Return the e-mail as it is stored now; None when it is gone."""
        with self._transactions.read() as unit:
            return unit.mail.current(mail_id)

    def _record(self, mail_id: int, attempts: int, error: str | None) -> None:
        now = self._clock.now()
        values: dict[str, Any]
        if error is None:
            values = {"sent_at": now, "last_error": None}
        elif attempts >= MAX_ATTEMPTS:
            log.error("e-mail %s given up after %d attempts", mail_id, attempts)
            values = {"sent_at": now, "last_error": error}
        else:
            wait = min(BACKOFF * 2 ** (attempts - 1), MAX_BACKOFF)
            values = {"claimed_at": None, "retry_at": now + wait, "last_error": error}
        with self._transactions.begin() as unit:
            unit.mail.finish(mail_id, values)
