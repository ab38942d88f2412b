"""A real SMTP server on localhost (aiosmtpd) that keeps every e-mail it accepts."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One accepted e-mail: the envelope and the parsed message."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    def attachment(self) -> tuple[str, bytes]:
        """Return the first attachment's file name and bytes."""
        for part in self.message.iter_attachments():
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return part.get_filename() or "", payload
        raise AssertionError("the e-mail has no attachment")


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    refuse: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Called after each accepted e-mail, outside the lock: what happens meanwhile.
    on_receive: Callable[[Received], None] | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 4.3.0 Try again later"
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            received = Received(envelope.mail_from, list(envelope.rcpt_tos), parsed)
            self.received.append(received)
        if self.on_receive is not None:
            self.on_receive(received)
        return "250 OK"


class SmtpServer:
    """aiosmtpd on a free port of 127.0.0.1, in its own thread; a context manager."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._handler = _Handler()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        """Return the SMTP_URL for this server."""
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        """Return the e-mails accepted so far."""
        with self._handler.lock:
            return list(self._handler.received)

    def refuse(self, times: int) -> None:
        """Answer the next `times` e-mails with a temporary failure (451)."""
        with self._handler.lock:
            self._handler.refuse = times

    def meanwhile(self, callback: Callable[[Received], None]) -> None:
        """Run `callback` after each accepted e-mail, before the sender hears it went."""
        self._handler.on_receive = callback

    def __enter__(self) -> Self:
        self._controller.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._controller.stop()
