"""The outbox as a repository: messages stored in the deciding transaction, sent after it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from bot.messages.replies import Button, Replies, Reply
from bot.storage import queue
from bot.storage.models import MailMessage
from bot.storage.queue import Queued

Buttons = tuple[tuple[Button, ...], ...]


class Outbox(Protocol):
    """Messages waiting to be sent, each stored before it goes."""

    def queue(
        self,
        chat_id: int,
        replies: Sequence[Reply],
        parent_id: int | None,
        *,
        digest_id: int | None = None,
    ) -> list[Queued]:
        """Store replies to one chat (on behalf of a parent, or none); return them queued.

        A digest's parts name their digest, so that erasing a family can rewrite them.
        """
        ...

    def to_chats(
        self,
        chat_ids: Iterable[int],
        text: str,
        buttons: Buttons = (),
        *,
        carrying: Collection[int] = (),
    ) -> list[Queued]:
        """Store the same message for each chat (staff, coordinators), for no parent.

        `carrying` names the responses whose families the text shows.
        """
        ...

    def mail(self, mail: MailMessage, response_ids: Collection[int]) -> MailMessage:
        """Store an e-mail for the mail sender, with the families it shows."""
        ...


class SqlOutbox:
    """The outbox tables on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def queue(
        self,
        chat_id: int,
        replies: Sequence[Reply],
        parent_id: int | None,
        *,
        digest_id: int | None = None,
    ) -> list[Queued]:
        """Store replies to one chat; the caller hands them to the sender after commit."""
        stored = Replies(chat_id, list(replies))
        return queue.queue(self._db, stored, parent_id, digest_id=digest_id)

    def to_chats(
        self,
        chat_ids: Iterable[int],
        text: str,
        buttons: Buttons = (),
        *,
        carrying: Collection[int] = (),
    ) -> list[Queued]:
        """Store the same message for each chat, for no parent."""
        return queue.queue_to_chats(self._db, chat_ids, text, buttons, carrying=carrying)

    def mail(self, mail: MailMessage, response_ids: Collection[int]) -> MailMessage:
        """Store an e-mail for the mail sender, with the families it shows."""
        return queue.queue_mail(self._db, mail, response_ids)
