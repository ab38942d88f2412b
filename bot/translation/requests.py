"""The translations table: asking for a translation, recording it, and reading it for digests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.i18n.catalogs import SOURCE_LANGUAGE
from bot.storage.models import ParentSession, Response, School, Translation, utcnow

PENDING = "pending"
DONE = "done"
UNTRANSLATED = "untranslated"
# Failures that a newly installed package (or the extra) may cure; others are retried
# a few times, as they may be passing (a crashed model, a database hiccup).
NOT_INSTALLED = ("PairNotInstalledError", "TranslationUnavailableError")
# Keeps IN lists well under every database's limit on bound parameters.
_CHUNK = 500

# Which language a school reads, given the school code the parent chose (or None).
TargetLanguage = Callable[[Session, str | None], str]


def school_language(db: Session, school: str | None) -> str:
    """Return the language the school reads its digest in; Dutch while no school is known."""
    if school is None:
        return SOURCE_LANGUAGE
    chosen = db.scalar(select(School.digest_language).where(School.code == school))
    return chosen or SOURCE_LANGUAGE


@dataclass(frozen=True, slots=True)
class Job:
    """One free-text answer to translate into one language; the text itself stays stored."""

    session_id: int
    step_id: str
    target_language: str


class TranslationQueue(Protocol):
    """Takes jobs after their transaction committed; must never block the update."""

    def submit(self, jobs: Sequence[Job]) -> int:
        """Queue what fits; return how many did."""
        ...


class StoredTranslations:
    """The translations table as the digest reads it."""

    def for_sessions(
        self, db: Session, session_ids: Sequence[int], target_language: str
    ) -> Mapping[tuple[int, str], str]:
        """Return the done translations whose answer has not changed since."""
        found: dict[tuple[int, str], str] = {}
        for chunk in _chunks(session_ids):
            rows = db.execute(
                select(Translation, ParentSession.state, Response.answers)
                .join(ParentSession, ParentSession.id == Translation.session_id)
                .outerjoin(Response, Response.session_id == Translation.session_id)
                .where(
                    Translation.session_id.in_(chunk),
                    Translation.target_language == target_language,
                    Translation.status == DONE,
                )
            )
            for row, state, answers in rows:
                current = _answers(state, answers).get(row.step_id)
                if isinstance(current, str) and text_hash(current) == row.source_hash:
                    found[(row.session_id, row.step_id)] = row.text or ""
        return found


def text_hash(text: str) -> str:
    """Return the sha256 of a text, hex: recognises a changed answer without keeping it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def request(
    db: Session, session_id: int, step_id: str, text: str, source: str, target: str
) -> Job | None:
    """Record, in the answer's own transaction, that it needs translating; None if not."""
    if source == target or not text.strip():
        return None
    digest = text_hash(text)
    row = db.scalar(
        select(Translation).where(
            Translation.session_id == session_id,
            Translation.step_id == step_id,
            Translation.target_language == target,
        )
    )
    if row is None:
        row = Translation(session_id=session_id, step_id=step_id, target_language=target)
        db.add(row)
    elif row.status == DONE and (row.source_hash, row.source_language) == (digest, source):
        return None
    row.source_language = source
    row.source_hash = digest
    row.text = None
    row.package = None
    row.status = PENDING
    row.attempts = 0
    row.last_error = None
    return Job(session_id, step_id, target)


@dataclass(frozen=True, slots=True)
class Wanted:
    """A job as found in the database: the row, the current answer and its language."""

    row_id: int
    source_hash: str
    source_language: str
    target_language: str
    text: str


def wanted(db: Session, job: Job) -> Wanted | None:
    """Return what a job asks for, or None when it was done, erased or overtaken."""
    found = db.execute(
        select(Translation, ParentSession.state)
        .join(ParentSession, ParentSession.id == Translation.session_id)
        # Done rows are left alone: a changed answer reset its row to pending first.
        .where(
            Translation.session_id == job.session_id,
            Translation.step_id == job.step_id,
            Translation.target_language == job.target_language,
            Translation.status != DONE,
        )
    ).first()
    if found is None:
        return None
    row, state = found
    text = _answers(state, None).get(row.step_id)
    if not isinstance(text, str) or text_hash(text) != row.source_hash:
        return None  # the answer changed again or was dropped; its own job follows
    return Wanted(row.id, row.source_hash, row.source_language, row.target_language, text)


def done_elsewhere(db: Session, wanted: Wanted) -> Translation | None:
    """Return a done translation of the same text and pair: no need to run the model."""
    return db.scalar(
        select(Translation)
        .where(
            Translation.source_language == wanted.source_language,
            Translation.target_language == wanted.target_language,
            Translation.source_hash == wanted.source_hash,
            Translation.status == DONE,
        )
        .limit(1)
    )


def record_done(db: Session, wanted: Wanted, text: str, package: str) -> bool:
    """Store a translation, unless the answer changed meanwhile; tell whether it was stored."""
    result = db.execute(
        update(Translation)
        .where(Translation.id == wanted.row_id, Translation.source_hash == wanted.source_hash)
        .values(
            text=text,
            package=package,
            status=DONE,
            attempts=Translation.attempts + 1,
            last_error=None,
            updated_at=utcnow(),
        )
    )
    return bool(getattr(result, "rowcount", 0))


def record_failed(db: Session, wanted: Wanted, error: str) -> None:
    """Mark an answer untranslated, with the error's class name (never its message)."""
    db.execute(
        update(Translation)
        .where(Translation.id == wanted.row_id, Translation.source_hash == wanted.source_hash)
        .values(
            status=UNTRANSLATED,
            attempts=Translation.attempts + 1,
            last_error=error[:200],
            updated_at=utcnow(),
        )
    )


def due(db: Session, *, packages_changed: bool, max_attempts: int, limit: int) -> list[Job]:
    """Return jobs to (re)try: pending ones, failed ones with tries left, and after a
    package install every untranslated one."""
    retry = Translation.status == UNTRANSLATED
    if not packages_changed:
        retry = (
            retry
            & Translation.last_error.not_in(NOT_INSTALLED)
            & (Translation.attempts < max_attempts)
        )
    rows = db.execute(
        select(Translation.session_id, Translation.step_id, Translation.target_language)
        .where(or_(Translation.status == PENDING, retry))
        .order_by(Translation.id)
        .limit(limit)
    )
    return [Job(session_id, step_id, target) for session_id, step_id, target in rows]


def _answers(
    state: Mapping[str, Any] | None, answers: Mapping[str, Any] | None
) -> Mapping[str, Any]:
    """Return the answers as stored: the response's once finished, else the session's."""
    if answers is not None:
        return answers
    stored = (state or {}).get("answers", {})
    return stored if isinstance(stored, Mapping) else {}


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
