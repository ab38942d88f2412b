"""Stored translations as the rest of the bot asks for them: jobs for the translator, the
language a school reads, and what a digest shows beside the parents' own words.

The rows themselves are the translations repository's (bot/storage/repositories/
translations.py), reached through a unit of work; the functions here that take a Session
serve the callers that still hold one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from bot.storage.repositories.translations import (
    DONE,
    NOT_INSTALLED,
    PENDING,
    UNTRANSLATED,
    SqlTranslations,
    Translations,
    Wanted,
    Wish,
    text_hash,
)

__all__ = [
    "DONE",
    "NOT_INSTALLED",
    "PENDING",
    "UNTRANSLATED",
    "Job",
    "TargetLanguage",
    "TranslationQueue",
    "Wanted",
    "ask",
    "request",
    "school_language",
    "text_hash",
]

# Which language a school reads, given the school code the parent chose (or None).
TargetLanguage = Callable[[Session, str | None], str]


@dataclass(frozen=True, slots=True)
class Job:
    """One free-text answer to translate into one language; the text itself stays stored."""

    session_id: int
    step_id: str
    target_language: str

    @property
    def wish(self) -> Wish:
        """Return the job as the translations repository names it."""
        return (self.session_id, self.step_id, self.target_language)


class TranslationQueue(Protocol):
    """Takes jobs after their transaction committed; must never block the update."""

    def submit(self, jobs: Sequence[Job]) -> int:
        """Queue what fits; return how many did."""
        ...


def school_language(db: Session, school: str | None) -> str:
    """Return the language the school reads its digest in; Dutch while no school is known."""
    return SqlTranslations(db).school_language(school)


def ask(
    translations: Translations, session_id: int, step_id: str, text: str, source: str, target: str
) -> Job | None:
    """Record, in the answer's own transaction, that it needs translating; None if not."""
    job = Job(session_id, step_id, target)
    return job if translations.request(job.wish, text, source) else None


def request(
    db: Session, session_id: int, step_id: str, text: str, source: str, target: str
) -> Job | None:
    """Record, in the answer's own transaction, that it needs translating; None if not."""
    return ask(SqlTranslations(db), session_id, step_id, text, source, target)
