"""The port through which the digest finds translations of parents' free text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from sqlalchemy.orm import Session


class Translations(Protocol):
    """Translations of free-text answers into a digest's language, made on our own machine."""

    def for_sessions(
        self, db: Session, session_ids: Sequence[int], target_language: str
    ) -> Mapping[tuple[int, str], str]:
        """Return the translated text by (session id, step id) where one exists."""
        ...


class NoTranslations:
    """No translations at all: the digest shows the original and says it is not translated."""

    def for_sessions(
        self, db: Session, session_ids: Sequence[int], target_language: str
    ) -> Mapping[tuple[int, str], str]:
        """Return nothing."""
        return {}
