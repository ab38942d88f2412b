"""Build a digest's families from responses: pure, with the flow and the digest's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_time

from bot.clock import AMSTERDAM, aware
from bot.digests import texts as msg
from bot.digests.changes import changed_lines
from bot.digests.marks import mark_labels, section_of, shown_elsewhere
from bot.digests.model import Digest, Family, Record, Remark, Section
from bot.engine import texts as engine_msg
from bot.engine.answers import display_phone, voice_file_id
from bot.engine.flow import Flow, Step, StepKind
from bot.engine.ports import Localizer
from bot.engine.render import answer_text, step_label
from bot.engine.state import AnswerValue
from bot.messages.followup import FollowUpStatus

# Shown elsewhere in the family's block, or only a condition for the rest.
NOT_LISTED = frozenset({StepKind.CONSENT, StepKind.SCHOOL, StepKind.TEXT, StepKind.PHONE})


class Dates:
    """Formats times in the digest's language, Dutch local time; cached, since Babel is slow."""

    def __init__(self, language: str) -> None:
        self._locale = Locale.parse(language)
        self._pattern = str(self._locale.datetime_formats["medium"])
        self._days: dict[date, str] = {}
        self._times: dict[tuple[int, int], str] = {}

    def day(self, moment: datetime) -> str:
        """Return the local date, medium length ("8 dec 2026")."""
        local = aware(moment).astimezone(AMSTERDAM)
        key = local.date()
        found = self._days.get(key)
        if found is None:
            found = self._days[key] = format_date(key, format="medium", locale=self._locale)
        return found

    def moment(self, moment: datetime) -> str:
        """Return the local date and time to the minute ("8 dec 2026, 15:30")."""
        local = aware(moment).astimezone(AMSTERDAM)
        key = (local.hour, local.minute)
        clock = self._times.get(key)
        if clock is None:
            clock = self._times[key] = format_time(
                local.time(), format="short", locale=self._locale
            )
        return self._pattern.replace("{1}", self.day(local)).replace("{0}", clock)


def build_digest(
    school: str,
    today: datetime,
    new: Iterable[Record],
    still_open: Iterable[Record],
    flows: Callable[[str], Flow | None],
    texts: Localizer,
    translations: Mapping[tuple[int, str], str],
    dates: Dates | None = None,
) -> Digest:
    """Return the digest of new and still-open families, each section oldest first."""
    dates = dates or Dates(texts.language)
    languages = _LanguageNames(texts.language)
    families = [
        _family(record, None, flows, texts, translations, dates, languages) for record in new
    ]
    families += [
        _family(record, Section.STILL_OPEN, flows, texts, translations, dates, languages)
        for record in still_open
    ]
    families.sort(key=lambda f: (f.section, f.completed_at, f.response_id))
    return Digest(school, dates.day(today), tuple(families))


class _LanguageNames:
    """Names languages in the digest's language ("Arabisch"), for an interpreter."""

    def __init__(self, language: str) -> None:
        self._locale = Locale.parse(language)
        self._names: dict[str, str] = {}

    def __call__(self, code: str) -> str:
        name = self._names.get(code)
        if name is None:
            try:
                name = Locale.parse(code).get_display_name(self._locale) or code
            except (ValueError, TypeError):
                name = code
            self._names[code] = name
        return name


@dataclass
class _Read:
    """What a family's answers say, step by step, in the digest's language."""

    grade: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    wanted: list[str] = field(default_factory=list)
    contact: str = ""
    phone: str = ""


def _family(
    record: Record,
    section: Section | None,
    flows: Callable[[str], Flow | None],
    texts: Localizer,
    translations: Mapping[tuple[int, str], str],
    dates: Dates,
    languages: Callable[[str], str],
) -> Family:
    answers = record.answers
    read = _Read(texts.gettext(msg.GRADE_UNKNOWN))
    flow = flows(record.flow_revision)
    if flow is not None:
        hidden = shown_elsewhere(flow)
        for step in flow.steps:
            value = answers.get(step.id)
            if value is not None and step.answered:
                _read_step(read, record, flow, step, value, texts, translations, hidden)
    return Family(
        response_id=record.response_id,
        section=section if section is not None else section_of(flow, answers),
        grade=read.grade,
        needs=(*mark_labels(flow, answers, texts), *read.wanted),
        answers=tuple(read.lines),
        remarks=tuple(read.remarks),
        language=languages(record.language),
        contact=read.contact,
        phone=read.phone,
        telegram_user_id=record.telegram_user_id,
        answered_at=dates.moment(record.completed_at),
        status=_status(record, section, texts, dates),
        completed_at=aware(record.completed_at),
        flow=(flow.title or flow.id) if flow is not None else "",
        updated=record.previous_answers is not None,
        changes=changed_lines(flow, record.previous_answers, answers, texts),
    )


def _read_step(
    read: _Read,
    record: Record,
    flow: Flow,
    step: Step,
    value: AnswerValue | list[str],
    texts: Localizer,
    translations: Mapping[tuple[int, str], str],
    hidden: frozenset[str],
) -> None:
    """Put one answered step where the digest shows it."""
    if step.id == flow.meaning.group:
        read.grade = answer_text(flow, step, value, texts, short=True)
    elif step.id == flow.meaning.contact:
        read.contact = answer_text(flow, step, value, texts, short=True)
    elif step.kind is StepKind.PHONE:
        read.phone = display_phone(str(value))
    elif step.kind is StepKind.TEXT and voice_file_id(value) is not None:
        spoken = texts.gettext(engine_msg.VOICE_ANSWER)
        read.remarks.append(Remark(step_label(flow, step, texts), spoken, None, step.id, True))
    elif step.kind is StepKind.TEXT:
        translation = translations.get((record.session_id, step.id))
        read.remarks.append(Remark(step_label(flow, step, texts), str(value), translation))
    elif step.kind not in NOT_LISTED and step.id not in hidden:
        answer = answer_text(flow, step, value, texts, short=True)
        read.lines.append((step_label(flow, step, texts), answer))
        if step.id == flow.meaning.wishes:
            read.wanted.append(answer)


def _status(record: Record, section: Section | None, texts: Localizer, dates: Dates) -> str:
    """Return the line on where the follow-up stands: contacted when, or still open."""
    if record.followup_status == FollowUpStatus.CONTACTED and record.followup_at is not None:
        return texts.gettext(msg.STATUS_CONTACTED) % {"when": dates.moment(record.followup_at)}
    if section is Section.STILL_OPEN:
        return texts.gettext(msg.STATUS_OPEN)
    return ""
