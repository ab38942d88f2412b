"""Make each school's digest once: claim it, assign its families, store every message to send.

Everything a digest sends is written in the transaction that assigns its families:
the Telegram parts into the outbox, the e-mail into the mail outbox. A crash before
the commit leaves the families for the next attempt; after it, the senders deliver
what is stored, each part once, however often they are restarted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, aware
from bot.digests import texts as msg
from bot.digests.build import Dates, build_digest
from bot.digests.followup import keyboard
from bot.digests.model import Digest, Record
from bot.digests.recipients import receiving_chats
from bot.digests.render import csv_table, mail_body, telegram_parts
from bot.digests.rewrite import rewrite_mails, rewrite_parts
from bot.digests.schedule import ScheduleError, parse_schedule
from bot.digests.translations import NoTranslations, Translations
from bot.engine.ports import Localizer
from bot.flowfiles.registry import FlowRegistry
from bot.i18n.localizer import Localizers
from bot.messages.followup import FollowUpStatus
from bot.messages.replies import Replies
from bot.outbox import queue as outbox
from bot.outbox.queue import Queued
from bot.storage import models
from bot.storage.models import MailMessage, Parent, Response, School
from bot.storage.unit import SqlUnitOfWork

log = logging.getLogger(__name__)

# How many schools one pass over the due digests takes; the rest wait for the next pass.
BATCH = 200


@dataclass(frozen=True, slots=True)
class Made:
    """What making one digest produced: its id, its counts and the messages to send now."""

    digest_id: int
    new_count: int
    open_count: int
    queued: list[Queued]
    mails: int


class DigestDesk:
    """Finds the digests that are due and makes each of them exactly once."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        registry: FlowRegistry,
        localizers: Localizers,
        clock: Clock,
        *,
        open_days: float,
        mail: bool,
        translations: Translations | None = None,
    ) -> None:
        self._sessions = sessions
        self._registry = registry
        self._localizers = localizers
        self._clock = clock
        self._open_after = timedelta(days=open_days)
        self._mail = mail
        self._translations = translations or NoTranslations()

    def run_due(self) -> list[Queued]:
        """Make every digest whose time has come (missed ones too); return what to send."""
        now = self._clock.now()
        with self._sessions() as db:
            codes = db.scalars(
                select(School.code)
                .where(or_(School.digest_due_at.is_(None), School.digest_due_at <= now))
                .order_by(School.code)
                .limit(BATCH)
            ).all()
        queued: list[Queued] = []
        for code in codes:
            try:
                made = self._scheduled(code)
            except Exception:
                # One school's problem must not hold up every other school's digest.
                log.exception("the digest of school %s failed; it is tried again", code)
                continue
            if made is not None:
                queued += made.queued
        return queued

    def send_now(self, code: str) -> Made | None:
        """Make a school's digest now, outside its schedule; None when there is nothing to send."""
        with self._sessions.begin() as db:
            school = _locked(db, code)
            if school is None:
                raise LookupError(code)
            return self._make(db, school, self._clock.now())

    def preview(self, code: str) -> str:
        """Return the school's next digest as text, changing nothing."""
        with self._sessions() as db:
            school = db.get(School, code)
            if school is None:
                raise LookupError(code)
            new, still_open = self._families(db, school, self._clock.now())
            digest = self._build(db, school, new, still_open)
            return mail_body(digest, self._texts(school))

    def _scheduled(self, code: str) -> Made | None:
        with self._sessions.begin() as db:
            school = _locked(db, code)
            now = self._clock.now()
            if school is None:
                return None
            try:
                schedule = parse_schedule(school.digest_schedule)
            except ScheduleError:
                log.error("school %s has an unreadable digest schedule; using the default", code)
                schedule = parse_schedule(models.DEFAULT_SCHEDULE)
            due_at = school.digest_due_at
            if due_at is None:
                # First look at this school: its first digest is at its next scheduled time.
                school.digest_due_at = schedule.next_after(now)
                return None
            if aware(due_at) > now:
                return None  # another process made this one while we waited for the lock
            # Missed times (the bot was down) come together in one digest, now.
            school.digest_due_at = schedule.next_after(now)
            return self._make(db, school, aware(due_at))

    def _make(self, db: Session, school: School, due_at: datetime) -> Made | None:
        now = self._clock.now()
        chats = receiving_chats(db, school.code)
        emails = list(school.digest_emails or ()) if self._mail else []
        if not chats and not emails:
            # Nobody would read it: the families wait for the first digest someone receives.
            return None
        new, still_open = self._families(db, school, now)
        if not new and not still_open:
            return None
        digest = self._build(db, school, new, still_open)
        texts = self._texts(school)
        parts = telegram_parts(digest, texts)
        row = models.Digest(
            school_code=school.code,
            due_at=due_at,
            created_at=now,
            language=school.digest_language,
            new_count=digest.new_count,
            open_count=digest.open_count,
            parts=[[response_id for _, response_id in part.families] for part in parts],
        )
        db.add(row)
        db.flush()
        new_ids = [record.response_id for record in new]
        assigned = db.execute(
            update(Response)
            .where(Response.id.in_(new_ids), Response.digest_id.is_(None))
            .values(digest_id=row.id)
            .execution_options(synchronize_session=False)
        )
        if assigned.rowcount != len(new_ids):  # type: ignore[attr-defined]
            # Only possible if a second digest slipped past the school's lock: give up this one.
            raise RuntimeError(f"families of school {school.code} were taken by another digest")
        listed = new_ids + [record.response_id for record in still_open]
        db.execute(
            update(Response)
            .where(Response.id.in_(listed))
            .values(listed_at=now)
            .execution_options(synchronize_session=False)
        )
        statuses = {r.response_id: r.followup_status for r in (*new, *still_open)}
        queued: list[Queued] = []
        for chat_id in chats:
            replies = Replies(chat_id)
            for part in parts:
                # Each part names its own families: an erase recalls only the parts it is in.
                shown = tuple(response_id for _, response_id in part.families)
                buttons = keyboard(part.families, statuses, row.id, texts)
                replies.send(part.text, buttons, carrying=shown)
            queued += outbox.queue(db, replies, None, digest_id=row.id)
        if emails:
            outbox.queue_mail(db, self._mail_of(row, school, digest, texts, emails), listed)
        log.info(
            "digest %s of school %s: %d new, %d still open, %d chats, %d addresses",
            row.id,
            school.code,
            digest.new_count,
            digest.open_count,
            len(chats),
            len(emails),
        )
        return Made(row.id, digest.new_count, digest.open_count, queued, 1 if emails else 0)

    def without(self, db: Session, digest_id: int, erased: frozenset[int]) -> None:
        """Rewrite a digest's unsent parts and e-mail without the erased families.

        The others keep their place in the digest: they still reach the school, in the
        messages that were waiting, now without the erased family's words.
        """
        row = db.get(models.Digest, digest_id)
        school = db.get(School, row.school_code) if row is not None else None
        if row is None or school is None:
            return
        kept = [r for part in row.parts for r in part if r not in erased]
        new, still_open = self._listed(db, row.id, kept)
        # Dated as it was first made: the same digest, less the erased families.
        digest = self._build(db, school, new, still_open, aware(row.created_at))
        texts = self._texts(school)
        statuses = {r.response_id: r.followup_status for r in (*new, *still_open)}
        if digest.families:
            rewrite_parts(db, row, erased, digest, statuses, texts)
            rewrite_mails(db, row.id, erased, digest, texts)
        # row.parts stays as made: it numbers the families as every copy of the digest
        # shows them, and tells staff who read it that an erased family was theirs.
        row.new_count, row.open_count = digest.new_count, digest.open_count

    def _listed(
        self, db: Session, digest_id: int, response_ids: list[int]
    ) -> tuple[list[Record], list[Record]]:
        """Return a digest's families: those it brought first, and those listed again."""
        found = db.execute(
            select(Response, Parent.telegram_user_id)
            .join(Parent, Parent.id == Response.parent_id)
            .where(Response.id.in_(response_ids))
            .order_by(Response.id)
        ).all()
        new = [_record(r, user) for r, user in found if r.digest_id == digest_id]
        still_open = [_record(r, user) for r, user in found if r.digest_id != digest_id]
        return new, still_open

    def _families(
        self, db: Session, school: School, now: datetime
    ) -> tuple[list[Record], list[Record]]:
        """Return the school's families not in any digest yet, and those listed but still open."""
        query = (
            select(Response, Parent.telegram_user_id)
            .join(Parent, Parent.id == Response.parent_id)
            .where(Response.school_code == school.code)
            .order_by(Response.id)
        )
        new = [
            _record(r, user) for r, user in db.execute(query.where(Response.digest_id.is_(None)))
        ]
        still_open = [
            _record(r, user)
            for r, user in db.execute(
                query.where(
                    Response.digest_id.is_not(None),
                    Response.followup_status != FollowUpStatus.HELPED,
                    Response.listed_at <= now - self._open_after,
                )
            )
        ]
        return new, still_open

    def _build(
        self,
        db: Session,
        school: School,
        new: list[Record],
        still_open: list[Record],
        made_at: datetime | None = None,
    ) -> Digest:
        texts = self._texts(school)
        sessions = [record.session_id for record in (*new, *still_open)]
        translated = (
            self._translations.for_sessions(db, sessions, school.digest_language)
            if sessions
            else {}
        )
        title = f"{school.name}, {school.town}" if school.town else school.name
        return build_digest(
            title,
            made_at or self._clock.now(),
            new,
            still_open,
            partial(self._registry.revision, uow=SqlUnitOfWork(db)),
            texts,
            translated,
            Dates(texts.language),
        )

    def _mail_of(
        self,
        row: models.Digest,
        school: School,
        digest: Digest,
        texts: Localizer,
        emails: list[str],
    ) -> MailMessage:
        subject = texts.gettext(msg.MAIL_SUBJECT) % {"school": school.name, "date": digest.date}
        return MailMessage(
            digest_id=row.id,
            recipients=emails,
            subject=subject[:300],
            body=mail_body(digest, texts),
            attachment_name=f"ouderbrug-{school.code}-{row.id}.csv",
            attachment=csv_table(digest, texts),
            created_at=self._clock.now(),
            attempts=0,
        )

    def _texts(self, school: School) -> Localizer:
        return self._localizers.get(school.digest_language or "nl")


def _locked(db: Session, code: str) -> School | None:
    """Return the school, locked until the end of the transaction (PostgreSQL; SQLite locks all)."""
    return db.get(School, code, with_for_update=True)


def _record(response: Response, telegram_user_id: int) -> Record:
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
    )
