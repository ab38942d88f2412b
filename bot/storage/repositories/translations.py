"""Stored translations of parents' free-text answers: asked for, done, failed, read back."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.i18n.catalogs import SOURCE_LANGUAGE
from bot.storage.models import ParentSession, Response, School, Translation

PENDING = "pending"
DONE = "done"
UNTRANSLATED = "untranslated"
# Failures that a newly installed package (or the extra) may cure; others are retried
# a few times, as they may be passing (a crashed model, a database hiccup).
NOT_INSTALLED = ("PairNotInstalledError", "TranslationUnavailableError")
# Keeps IN lists well under every database's limit on bound parameters.
_CHUNK = 500

# One free-text answer in one target language: (session id, step id, language).
Wish = tuple[int, str, str]


def text_hash(text: str) -> str:
    """Return the sha256 of a text, hex: recognises a changed answer without keeping it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Wanted:
    """A wish as found in the database: the row, the current answer and its language."""

    row_id: int
    source_hash: str
    source_language: str
    target_language: str
    text: str


class Translations(Protocol):
    """What the translator and the use cases may ask of the stored translations."""

    def school_language(self, school: str | None) -> str:
        """Return the language a school reads its digest in."""
        ...

    def request(self, wish: Wish, text: str, source: str) -> bool:
        """Record that an answer needs translating; False when it needs nothing."""
        ...

    def wanted(self, wish: Wish) -> Wanted | None:
        """Return what a wish asks for, or None when it was done, erased or overtaken."""
        ...

    def done_elsewhere(self, wanted: Wanted) -> tuple[str, str] | None:
        """Return (text, package) of a done translation of the same text and pair."""
        ...

    def record_done(self, wanted: Wanted, text: str, package: str, now: datetime) -> bool:
        """Store a translation unless the answer changed meanwhile; tell whether it was."""
        ...

    def record_failed(self, wanted: Wanted, error: str, now: datetime) -> None:
        """Mark an answer untranslated, with the error's class name."""
        ...

    def due(self, *, packages_changed: bool, max_attempts: int, limit: int) -> list[Wish]:
        """Return the wishes to (re)try."""
        ...

    def for_sessions(
        self, session_ids: Sequence[int], target_language: str
    ) -> Mapping[tuple[int, str], str]:
        """Return the done translations whose answer has not changed since."""
        ...


class SqlTranslations:
    """The translations table."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def school_language(self, school: str | None) -> str:
        """Return the language the school reads its digest in; Dutch while none is known."""
        if school is None:
            return SOURCE_LANGUAGE
        chosen = self._db.scalar(select(School.digest_language).where(School.code == school))
        return chosen or SOURCE_LANGUAGE

    def request(self, wish: Wish, text: str, source: str) -> bool:
        """Record, in the answer's own transaction, that it needs translating."""
        session_id, step_id, target = wish
        if source == target or not text.strip():
            return False
        digest = text_hash(text)
        row = self._db.scalar(select(Translation).where(*_of(wish)))
        if row is None:
            row = Translation(session_id=session_id, step_id=step_id, target_language=target)
            self._db.add(row)
        elif row.status == DONE and (row.source_hash, row.source_language) == (digest, source):
            return False
        row.source_language = source
        row.source_hash = digest
        row.text = None
        row.package = None
        row.status = PENDING
        row.attempts = 0
        row.last_error = None
        return True

    def wanted(self, wish: Wish) -> Wanted | None:
        """Return what a wish asks for, or None when it was done, erased or overtaken."""
        found = self._db.execute(
            select(Translation, ParentSession.state)
            .join(ParentSession, ParentSession.id == Translation.session_id)
            # Done rows are left alone: a changed answer reset its row to pending first.
            .where(*_of(wish), Translation.status != DONE)
        ).first()
        if found is None:
            return None
        row, state = found
        text = _answers(state, None).get(row.step_id)
        if not isinstance(text, str) or text_hash(text) != row.source_hash:
            return None  # the answer changed again or was dropped; its own job follows
        return Wanted(row.id, row.source_hash, row.source_language, row.target_language, text)

    def done_elsewhere(self, wanted: Wanted) -> tuple[str, str] | None:
        """Return a done translation of the same text and pair: no need to run the model."""
        same = self._db.scalar(
            select(Translation)
            .where(
                Translation.source_language == wanted.source_language,
                Translation.target_language == wanted.target_language,
                Translation.source_hash == wanted.source_hash,
                Translation.status == DONE,
            )
            .limit(1)
        )
        return (same.text or "", same.package or "") if same else None

    def record_done(self, wanted: Wanted, text: str, package: str, now: datetime) -> bool:
        """Store a translation, unless the answer changed meanwhile."""
        result = self._db.execute(
            _still(wanted).values(
                text=text,
                package=package,
                status=DONE,
                attempts=Translation.attempts + 1,
                last_error=None,
                updated_at=now,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    def record_failed(self, wanted: Wanted, error: str, now: datetime) -> None:
        """Mark an answer untranslated, with the error's class name (never its message)."""
        self._db.execute(
            _still(wanted).values(
                status=UNTRANSLATED,
                attempts=Translation.attempts + 1,
                last_error=error[:200],
                updated_at=now,
            )
        )

    def due(self, *, packages_changed: bool, max_attempts: int, limit: int) -> list[Wish]:
        """Return pending wishes, failed ones with tries left, and after a package install
        every untranslated one."""
        retry = Translation.status == UNTRANSLATED
        if not packages_changed:
            retry = (
                retry
                & Translation.last_error.not_in(NOT_INSTALLED)
                & (Translation.attempts < max_attempts)
            )
        rows = self._db.execute(
            select(Translation.session_id, Translation.step_id, Translation.target_language)
            .where(or_(Translation.status == PENDING, retry))
            .order_by(Translation.id)
            .limit(limit)
        )
        return [(session_id, step_id, target) for session_id, step_id, target in rows]

    def for_sessions(
        self, session_ids: Sequence[int], target_language: str
    ) -> Mapping[tuple[int, str], str]:
        """Return the done translations whose answer has not changed since."""
        found: dict[tuple[int, str], str] = {}
        for chunk in _chunks(session_ids):
            rows = self._db.execute(
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


def _of(wish: Wish) -> tuple[Any, ...]:
    session_id, step_id, target = wish
    return (
        Translation.session_id == session_id,
        Translation.step_id == step_id,
        Translation.target_language == target,
    )


def _still(wanted: Wanted) -> Any:
    """Return an update of the wanted row, as long as its answer is the one translated."""
    return update(Translation).where(
        Translation.id == wanted.row_id, Translation.source_hash == wanted.source_hash
    )


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
