"""Build a digest's families from responses: pure, with the flow and the digest's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_time

from bot.clock import AMSTERDAM, aware
from bot.digests import texts as msg
from bot.digests.model import Digest, Family, Record, Remark, Section
from bot.engine import texts as engine_msg
from bot.engine.answers import display_phone, voice_file_id
from bot.engine.flow import Flow, Step, StepKind
from bot.engine.ports import Localizer
from bot.engine.render import YES, answer_text, step_label
from bot.engine.state import AnswerValue
from bot.messages.followup import FollowUpStatus

# The steps of the default flow whose answers say what a family needs most. A flow that
# names its steps otherwise still gets a digest, only without these marks.
GRADE_STEP = "grade"
URGENT = ("call_soon", YES)
NO_DEVICE = ("devices", "none")
SMARTPHONE_ONLY = ("devices", "smartphone_only")
NO_INTERNET = ("internet", "none")
MOBILE_ONLY = ("internet", "mobile_only")
NO_HELP = ("help_at_home", "no")
WANTED_HELP = "help_wanted"
CONTACT_STEP = "contact"
# Shown elsewhere in the family's block, or only a condition for the rest.
NOT_LISTED = frozenset({StepKind.CONSENT, StepKind.SCHOOL, StepKind.TEXT, StepKind.PHONE})
HIDDEN_STEPS = frozenset({GRADE_STEP, URGENT[0], CONTACT_STEP})


def has(answers: Mapping[str, object], mark: tuple[str, str]) -> bool:
    """Tell whether a step's answer is, or (for several choices) includes, the key."""
    value = answers.get(mark[0])
    return value == mark[1] or (isinstance(value, list) and mark[1] in value)


def section_of(answers: Mapping[str, object]) -> Section:
    """Return where a new family goes: urgent first, then no device or no internet."""
    if has(answers, URGENT):
        return Section.URGENT
    if has(answers, NO_DEVICE) or has(answers, NO_INTERNET):
        return Section.BASICS
    return Section.OTHER


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
        for step in flow.steps:
            value = answers.get(step.id)
            if value is not None and step.answered:
                _read_step(read, record, flow, step, value, texts, translations)
    return Family(
        response_id=record.response_id,
        section=section if section is not None else section_of(answers),
        grade=read.grade,
        needs=(*_marks(answers, texts), *read.wanted),
        answers=tuple(read.lines),
        remarks=tuple(read.remarks),
        language=languages(record.language),
        contact=read.contact,
        phone=read.phone,
        telegram_user_id=record.telegram_user_id,
        answered_at=dates.moment(record.completed_at),
        status=_status(record, section, texts, dates),
        completed_at=aware(record.completed_at),
    )


def _read_step(
    read: _Read,
    record: Record,
    flow: Flow,
    step: Step,
    value: AnswerValue | list[str],
    texts: Localizer,
    translations: Mapping[tuple[int, str], str],
) -> None:
    """Put one answered step where the digest shows it."""
    if step.id == GRADE_STEP:
        read.grade = answer_text(flow, step, value, texts, short=True)
    elif step.id == CONTACT_STEP:
        read.contact = answer_text(flow, step, value, texts, short=True)
    elif step.kind is StepKind.PHONE:
        read.phone = display_phone(str(value))
    elif step.kind is StepKind.TEXT and voice_file_id(value) is not None:
        spoken = texts.gettext(engine_msg.VOICE_ANSWER)
        read.remarks.append(Remark(step_label(flow, step, texts), spoken, None, step.id, True))
    elif step.kind is StepKind.TEXT:
        translation = translations.get((record.session_id, step.id))
        read.remarks.append(Remark(step_label(flow, step, texts), str(value), translation))
    elif step.kind not in NOT_LISTED and step.id not in HIDDEN_STEPS:
        answer = answer_text(flow, step, value, texts, short=True)
        read.lines.append((step_label(flow, step, texts), answer))
        if step.id == WANTED_HELP:
            read.wanted.append(answer)


def _status(record: Record, section: Section | None, texts: Localizer, dates: Dates) -> str:
    """Return the line on where the follow-up stands: contacted when, or still open."""
    if record.followup_status == FollowUpStatus.CONTACTED and record.followup_at is not None:
        return texts.gettext(msg.STATUS_CONTACTED) % {"when": dates.moment(record.followup_at)}
    if section is Section.STILL_OPEN:
        return texts.gettext(msg.STATUS_OPEN)
    return ""


def _marks(answers: Mapping[str, object], texts: Localizer) -> list[str]:
    marks = (
        (URGENT, msg.NEED_URGENT),
        (NO_DEVICE, msg.NEED_NO_DEVICE),
        (SMARTPHONE_ONLY, msg.NEED_SMARTPHONE_ONLY),
        (NO_INTERNET, msg.NEED_NO_INTERNET),
        (MOBILE_ONLY, msg.NEED_MOBILE_ONLY),
        (NO_HELP, msg.NEED_NO_HELP),
    )
    return [texts.gettext(text) for mark, text in marks if has(answers, mark)]
