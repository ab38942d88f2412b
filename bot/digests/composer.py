"""Compose a school's digest from its families: the flows, the language and the translations."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from bot.clock import Clock
from bot.digests.build import Dates, build_digest
from bot.digests.conversation import with_conversations
from bot.digests.model import Digest, Record
from bot.engine.ports import Localizer
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.localizer import Localizers
from bot.storage.models import Response, School
from bot.storage.repositories.digests import Listed, changed_since_listed
from bot.storage.unit import UnitOfWork


class Composer:
    """Turns a school's records into its digest, in the school's language."""

    def __init__(
        self,
        registry: FlowRegistry,
        localizers: Localizers,
        clock: Clock,
    ) -> None:
        self._registry = registry
        self._localizers = localizers
        self._clock = clock

    def texts(self, school: School) -> Localizer:
        """Return the texts in the language the school reads its digest in."""
        return self._localizers.get(school.digest_language or "nl")

    def build(
        self,
        unit: UnitOfWork,
        school: School,
        new: list[Record],
        still_open: list[Record],
        made_at: datetime | None = None,
    ) -> Digest:
        """Return the digest of these families, dated now unless it was made before."""
        texts = self.texts(school)
        sessions = [record.session_id for record in (*new, *still_open)]
        # Beside the parents' own words, the translations made on this machine.
        translated = (
            unit.translations.for_sessions(sessions, school.digest_language) if sessions else {}
        )
        title = f"{school.name}, {school.town}" if school.town else school.name
        digest = build_digest(
            title,
            made_at or self._clock.now(),
            new,
            still_open,
            partial(self._registry.revision, uow=unit),
            texts,
            translated,
            Dates(texts.language),
        )
        return with_conversations(unit, digest, self._clock.now(), texts)


def records(found: list[Listed]) -> list[Record]:
    """Return the responses as the digest reads them."""
    return [record_of(response, user) for response, user in found]


def record_of(response: Response, telegram_user_id: int) -> Record:
    """Return one response as the digest reads it."""
    return Record(
        response_id=response.id,
        session_id=response.session_id,
        flow_revision=response.flow_revision,
        language=response.language,
        answers=response.answers,
        completed_at=response.completed_at,
        telegram_user_id=telegram_user_id,
        followup_status=response.followup_status,
        followup_at=response.followup_at,
        # Only while the school has not seen the change: once listed, it is just a family.
        previous_answers=response.previous_answers if changed_since_listed(response) else None,
    )
