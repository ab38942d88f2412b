"""Urgent requests: a parent who wants to be called soon reaches the school's staff at once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from functools import partial

from bot.clock import Clock
from bot.digests import texts as msg
from bot.digests.build import Dates, build_digest
from bot.digests.followup import keyboard
from bot.digests.model import Record
from bot.digests.recipients import StaffChats
from bot.digests.render import family_block
from bot.engine.meaning import urgent
from bot.engine.ports import Localizer
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.localizer import Localizers
from bot.storage.models import MailMessage, Response, School
from bot.storage.queue import Queued
from bot.storage.unit import UnitOfWork

log = logging.getLogger(__name__)


class UrgentAlerts:
    """Queues the alert in the response's own transaction, so it is neither lost nor doubled."""

    def __init__(
        self,
        registry: FlowRegistry,
        localizers: Localizers,
        clock: Clock,
        coordinators: StaffChats | None,
        *,
        mail: bool,
    ) -> None:
        self._registry = registry
        self._localizers = localizers
        self._clock = clock
        self._coordinators = coordinators
        self._mail = mail

    def response_completed(self, uow: UnitOfWork, response_id: int) -> list[Queued]:
        """Act on a stored response, in its transaction; return the messages queued."""
        found = uow.digests.families([response_id])
        if not found:
            return []
        response, user_id = found[0]
        return self.completed(uow, response, user_id)

    def response_changed(
        self, uow: UnitOfWork, response_id: int, before: Mapping[str, object]
    ) -> list[Queued]:
        """Alert the school when changed answers made a family urgent; once urgent, never twice."""
        found = uow.digests.families([response_id])
        if not found:
            return []
        response, user_id = found[0]
        flow = self._registry.revision(response.flow_revision, uow)
        if flow is None or urgent(flow, before):
            return []  # not urgent now, or the school was alerted when it first was
        return self.completed(uow, response, user_id)

    def completed(self, uow: UnitOfWork, response: Response, user_id: int) -> list[Queued]:
        """Alert the school's staff if the flow's urgent rule holds; return the messages."""
        if response.school_code is None:
            return []
        # The revision the family answered: its own declarations say what is urgent.
        flow = self._registry.revision(response.flow_revision, uow)
        if flow is None or not urgent(flow, response.answers):
            return []
        school = uow.digests.school(response.school_code)
        if school is None:
            return []
        chats = uow.recipients.receiving_chats(school.code)
        emails = list(school.digest_emails or ()) if self._mail else []
        if not chats and not emails:
            log.info("urgent request for school %s, which has nobody to receive it", school.code)
            return self._nobody_at(uow, school)
        texts = self._localizers.get(school.digest_language or "nl")
        text, now = self._alert_text(uow, school, (response, user_id), texts)
        buttons = keyboard([(1, response.id)], {}, 0, texts)
        queued = uow.outbox.to_chats(chats, text, buttons, carrying=[response.id])
        if emails:
            subject = texts.gettext(msg.URGENT_SUBJECT) % {"school": school.name}
            mail = MailMessage(
                recipients=emails, subject=subject, body=text + "\n", created_at=now, attempts=0
            )
            uow.outbox.mail(mail, [response.id])
        log.info(
            "urgent alert for school %s to %d chats, %d addresses",
            school.code,
            len(chats),
            len(emails),
        )
        return queued

    def _nobody_at(self, uow: UnitOfWork, school: School) -> list[Queued]:
        """Tell the coordinators that a school with nobody to alert has an urgent request."""
        if self._coordinators is None:
            return []
        text = (
            f"Een ouder van school {school.code} ({school.name}) wil snel gebeld worden, "
            "maar er is nog niemand van die school aangemeld en er is geen e-mailadres. "
            "Geef de school haar personeelslink (`ouderbrug schools links "
            f"{school.code}`) of een adres (`ouderbrug schools set {school.code} --email`)."
        )
        return self._coordinators.tell(uow, text, "Ouderbrug: dringend verzoek zonder school")

    def _alert_text(
        self, uow: UnitOfWork, school: School, answered: tuple[Response, int], texts: Localizer
    ) -> tuple[str, datetime]:
        """Return the alert (its heading, the family as the digest shows it) and its time."""
        response, user_id = answered
        record = Record(
            response_id=response.id,
            session_id=response.session_id,
            flow_revision=response.flow_revision,
            language=response.language,
            answers=response.answers,
            completed_at=response.completed_at or self._clock.now(),
            telegram_user_id=user_id or 0,
        )
        now = self._clock.now()
        digest = build_digest(
            school.name,
            now,
            [record],
            [],
            partial(self._registry.revision, uow=uow),
            texts,
            {},
            Dates(texts.language),
        )
        family = family_block(1, digest.families[0], texts)
        return f"{texts.gettext(msg.URGENT_ALERT)}\n\n{family}", now
