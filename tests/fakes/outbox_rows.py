"""The outbox's rows in memory, as the sender keeps them, and translations asked for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.storage.models import OutboxMessage
from bot.storage.repositories.outbox_rows import Outcome
from bot.storage.repositories.translations import DONE, PENDING, Wanted, Wish, text_hash


@dataclass
class FakeOutboxRows:
    """Outbox rows in a list; the chats that blocked the bot in a dict."""

    rows: list[OutboxMessage] = field(default_factory=list)
    blocked: dict[int, datetime] = field(default_factory=dict)

    def abandoned(self, claimed_before: datetime, limit: int) -> list[OutboxMessage]:
        unsent = [r for r in self.rows if r.sent_at is None]
        old = [r for r in unsent if r.claimed_at is None or r.claimed_at < claimed_before]
        return sorted(old, key=lambda r: r.id)[:limit]

    def reclaim(self, row: OutboxMessage, now: datetime) -> int:
        row.claimed_at, row.claim = now, row.claim + 1
        return row.claim

    def give_up(self, row: OutboxMessage, reason: str, now: datetime) -> None:
        row.sent_at, row.last_error = now, reason

    def renew(self, held: Sequence[tuple[int, int]], now: datetime) -> set[int]:
        wanted = set(held)
        renewed = [r for r in self.rows if r.sent_at is None and (r.id, r.claim) in wanted]
        for row in renewed:
            row.claimed_at = now
        return {r.id for r in renewed}

    def record(self, outcomes: Sequence[Outcome], now: datetime) -> None:
        errors = dict(outcomes)
        for row in self.rows:
            if row.id in errors:
                row.sent_at, row.last_error = now, errors[row.id]

    def note_telegram_ids(self, ids: Sequence[tuple[int, int]]) -> None:
        given = dict(ids)
        for row in self.rows:
            if row.id in given:
                row.telegram_message_id = given[row.id]

    def chat_blocked(self, chat_id: int, now: datetime) -> None:
        self.blocked[chat_id] = now


@dataclass
class FakeTranslations:
    """Translations asked for, by wish; the schools' digest languages in a dict."""

    languages: dict[str, str] = field(default_factory=dict)
    # Each wish's source hash, source language and status; done ones with their text.
    asked: dict[Wish, tuple[str, str, str]] = field(default_factory=dict)
    done: dict[Wish, tuple[str, str]] = field(default_factory=dict)

    def school_language(self, school: str | None) -> str:
        return self.languages.get(school or "", "nl")

    def request(self, wish: Wish, text: str, source: str) -> bool:
        if source == wish[2] or not text.strip():
            return False
        digest = text_hash(text)
        if self.asked.get(wish) == (digest, source, DONE):
            return False
        self.asked[wish] = (digest, source, PENDING)
        self.done.pop(wish, None)
        return True

    def wanted(self, wish: Wish) -> Wanted | None:
        return None  # the texts live in sessions, which this fake does not keep

    def done_elsewhere(self, wanted: Wanted) -> tuple[str, str] | None:
        return None

    def record_done(self, wanted: Wanted, text: str, package: str, now: datetime) -> bool:
        return False

    def record_failed(self, wanted: Wanted, error: str, now: datetime) -> None:
        return None

    def due(self, *, packages_changed: bool, max_attempts: int, limit: int) -> list[Wish]:
        return [wish for wish, (_, _, status) in self.asked.items() if status == PENDING][:limit]

    def for_sessions(
        self, session_ids: Sequence[int], target_language: str
    ) -> Mapping[tuple[int, str], str]:
        wanted = set(session_ids)
        return {
            (session_id, step_id): text
            for (session_id, step_id, target), (text, _) in self.done.items()
            if session_id in wanted and target == target_language
        }
