"""`ouderbrug schools set`: a school's digest schedule, language and e-mail addresses."""

from __future__ import annotations

import argparse
import re
import sys

from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings

# An address as mail servers take it (RFC 5321's dot-atom, a domain of DNS labels ending
# in a top-level domain), strict enough to catch typing mistakes before the first digest.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP_LEVEL = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
_ADDRESS = re.compile(rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?:{_LABEL}\.)+{_TOP_LEVEL}")
# RFC 5321's limits on the part before the @ and on the whole address.
_LOCAL_MAX, _ADDRESS_MAX = 64, 254


def set_digest(
    sessions: sessionmaker[Session], arguments: argparse.Namespace, settings: Settings
) -> int:
    """Change the given digest settings of one school, or show them when none is given."""
    from bot.clock import SystemClock
    from bot.digests.schedule import ScheduleError, parse_schedule
    from bot.i18n.catalogs import po_path
    from bot.i18n.languages import language
    from bot.schools.links import school_code
    from bot.storage.models import School

    code = school_code(arguments.code)
    schedule = None
    problems = []
    if arguments.digest_schedule is not None:
        try:
            schedule = parse_schedule(arguments.digest_schedule)
        except ScheduleError as error:
            problems.append(str(error))
        else:
            # The column's size: PostgreSQL refuses a longer one, SQLite would store it.
            written, room = str(schedule), _column_size("digest_schedule")
            if len(written) > room:
                problems.append(
                    f"That schedule is {len(written)} characters written out; at most "
                    f"{room} fit: give fewer times."
                )
    digest_language = arguments.digest_language
    if digest_language is not None:
        digest_language = digest_language.strip().lower().replace("_", "-")
        try:
            if len(digest_language) > _column_size("digest_language"):
                raise ValueError(digest_language)
            language(digest_language)
        except ValueError:
            problems.append(
                f"{arguments.digest_language!r} is not a language code: use one like nl, en, ar."
            )
    emails = None
    if arguments.email and arguments.no_email:
        problems.append("Give --email or --no-email, not both.")
    elif arguments.email:
        emails = [address.strip() for address in arguments.email]
        problems += _address_problems(emails)
    elif arguments.no_email:
        emails = []
    if problems:
        print("\n".join(problems) + "\nNothing changed.", file=sys.stderr)
        return 1
    with sessions.begin() as session:
        school = session.get(School, code) if code else None
        if school is None:
            print(f"There is no school with code {arguments.code!r}.", file=sys.stderr)
            return 1
        if schedule is not None:
            school.digest_schedule = str(schedule)
            # The next digest follows the new schedule; families already waiting stay.
            school.digest_due_at = schedule.next_after(SystemClock().now())
        if digest_language is not None:
            school.digest_language = digest_language
        if emails is not None:
            school.digest_emails = emails
        shown = (
            f"{school.code} {school.name}\n"
            f"  digest schedule: {school.digest_schedule} (Europe/Amsterdam)\n"
            f"  digest language: {school.digest_language} "
            f"({language(school.digest_language).dutch_name})\n"
            f"  e-mail: {', '.join(school.digest_emails) or 'none'}"
        )
        current_language = school.digest_language
        has_mail = bool(school.digest_emails)
    print(shown)
    if current_language != "nl" and not po_path(settings.locales_dir, current_language).exists():
        print(
            f"  Note: there is no catalog for {current_language} in {settings.locales_dir}; "
            "the digest stays in Dutch until there is one."
        )
    if has_mail and settings.smtp is None:
        print("  Note: SMTP_URL is not set, so no e-mail is sent until it is.")
    return 0


def _address_problems(emails: list[str]) -> list[str]:
    """Say which addresses are not e-mail addresses, and which are given more than once."""
    problems = []
    wrong = [_shown(address) for address in emails if not _is_address(address)]
    if wrong:
        problems.append(f"Not an e-mail address: {', '.join(wrong)}.")
    seen: set[str] = set()
    for address in emails:
        # Mail servers treat addresses without regard to case.
        if address.lower() in seen:
            problems.append(f"{_shown(address)} is given twice: give each address once.")
        seen.add(address.lower())
    return problems


def _is_address(address: str) -> bool:
    match = _ADDRESS.fullmatch(address)
    return match is not None and len(match["local"]) <= _LOCAL_MAX and len(address) <= _ADDRESS_MAX


def _shown(address: str) -> str:
    """Show an address as typed, or quoted when it holds what a terminal would not show."""
    return address if address.isprintable() else repr(address)


def _column_size(name: str) -> int:
    """Return how many characters a column of the schools table holds."""
    from bot.storage.models import School

    size = getattr(School.__table__.columns[name].type, "length", None)
    assert isinstance(size, int)
    return size
