"""Requests for translations of parents' free-text answers, in the answer's transaction."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from bot.storage.models import ParentSession
from bot.translation import requests
from bot.translation.requests import Job


class TranslationRequests(Protocol):
    """What parents' answers ask of the translations table."""

    def request(
        self, session: ParentSession, step_id: str, text: str, source: str, target: str
    ) -> Job | None:
        """Record that an answer needs translating; return the job, or None if it does not."""
        ...

    def school_language(self, school: str | None) -> str:
        """Return the language a school reads its digest in (Dutch while none is known)."""
        ...


class SqlTranslationRequests:
    """The translations table on one open session."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def request(
        self, session: ParentSession, step_id: str, text: str, source: str, target: str
    ) -> Job | None:
        """Record that an answer needs translating; return the job, or None if it does not."""
        if session.id is None:
            self._db.flush()  # a new session needs its id before a translation can name it
        return requests.request(self._db, session.id, step_id, text, source, target)

    def school_language(self, school: str | None) -> str:
        """Return the language a school reads its digest in (Dutch while none is known)."""
        return requests.school_language(self._db, school)
