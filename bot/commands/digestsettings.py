"""`ouderbrug schools set`: a school's digest schedule, language and e-mail addresses."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.digests.schedule import Schedule
    from bot.storage.models import School
    from bot.storage.unit import Transactions

# An address as mail servers take it (RFC 5321's dot-atom, a domain of DNS labels ending
# in a top-level domain), strict enough to catch typing mistakes before the first digest.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP_LEVEL = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
_ADDRESS = re.compile(rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?:{_LABEL}\.)+{_TOP_LEVEL}")
# RFC 5321's limits on the part before the @ and on the whole address.
_LOCAL_MAX, _ADDRESS_MAX = 64, 254


def register_set(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `schools set`: a school's digest settings."""
    settings = actions.add_parser(
        "set", help="change a school's digest (schedule, language, e-mail) and its flow"
    )
    settings.add_argument("code", help="DUO location code, e.g. 16AH00")
    settings.add_argument(
        "--digest-schedule",
        metavar="DAYS TIMES",
        help="days and times in Dutch time, e.g. 'mon-fri 15:30' or 'ma,wo,vr 08:00,15:30'",
    )
    settings.add_argument(
        "--digest-language", metavar="CODE", help="language of the digest, e.g. nl (default)"
    )
    settings.add_argument(
        "--email",
        action="append",
        metavar="ADDRESS",
        help="send the digest to this address (repeat for more; replaces the earlier ones)",
    )
    settings.add_argument(
        "--no-email", action="store_true", help="send the digest by e-mail to nobody"
    )
    settings.add_argument(
        "--flow",
        metavar="ID",
        help="the flow this school's parents start on; 'default' for the installation's",
    )


def set_digest(
    transactions: Transactions, arguments: argparse.Namespace, settings: Settings
) -> int:
    """Change the given digest settings of one school, or show them when none is given."""
    from bot.clock import PROCESS
    from bot.commands.flowchoice import school_flow
    from bot.coordinators.digests import DigestSettings, set_digest_settings
    from bot.schools.links import school_code

    schedule, problems = _schedule(arguments.digest_schedule)
    digest_language, language_problems = _language(arguments.digest_language)
    emails, email_problems = _emails(arguments)
    flow_id, flow_problems = school_flow(arguments.flow, settings)
    problems += language_problems + email_problems + flow_problems
    if problems:
        print("\n".join(problems) + "\nNothing changed.", file=sys.stderr)
        return 1
    change = DigestSettings(schedule, digest_language, emails, flow_id)
    with transactions.begin() as uow:
        school = set_digest_settings(uow, school_code(arguments.code), change, PROCESS.now())
    if school is None:
        print(f"There is no school with code {arguments.code!r}.", file=sys.stderr)
        return 1
    _show(school, settings)
    return 0


def _show(school: School, settings: Settings) -> None:
    """Print the school's digest settings, and what keeps them from working yet."""
    from bot.i18n.catalogs import po_path
    from bot.i18n.languages import language

    current = school.digest_language
    print(
        f"{school.code} {school.name}\n"
        f"  digest schedule: {school.digest_schedule} (Europe/Amsterdam)\n"
        f"  digest language: {current} ({language(current).dutch_name})\n"
        f"  e-mail: {', '.join(school.digest_emails) or 'none'}\n"
        f"  flow: {school.flow_id or settings.default_flow + ' (default)'}"
    )
    if current != "nl" and not po_path(settings.locales_dir, current).exists():
        print(
            f"  Note: there is no catalog for {current} in {settings.locales_dir}; "
            "the digest stays in Dutch until there is one."
        )
    if school.digest_emails and settings.smtp is None:
        print("  Note: SMTP_URL is not set, so no e-mail is sent until it is.")


def _schedule(typed: str | None) -> tuple[Schedule | None, list[str]]:
    """Read a typed schedule; return it, or what is wrong with it."""
    from bot.digests.schedule import ScheduleError, parse_schedule

    if typed is None:
        return None, []
    try:
        schedule = parse_schedule(typed)
    except ScheduleError as error:
        return None, [str(error)]
    # The column's size: PostgreSQL refuses a longer one, SQLite would store it.
    written, room = str(schedule), _column_size("digest_schedule")
    if len(written) > room:
        return None, [
            f"That schedule is {len(written)} characters written out; at most "
            f"{room} fit: give fewer times."
        ]
    return schedule, []


def _language(typed: str | None) -> tuple[str | None, list[str]]:
    """Read a typed language code, tidied; return it, or what is wrong with it."""
    from bot.i18n.languages import language

    if typed is None:
        return None, []
    code = typed.strip().lower().replace("_", "-")
    try:
        if len(code) > _column_size("digest_language"):
            raise ValueError(code)
        language(code)
    except ValueError:
        return None, [f"{typed!r} is not a language code: use one like nl, en, ar."]
    return code, []


def _emails(arguments: argparse.Namespace) -> tuple[list[str] | None, list[str]]:
    """Read --email and --no-email; return the addresses to set, or what is wrong."""
    if arguments.email and arguments.no_email:
        return None, ["Give --email or --no-email, not both."]
    if arguments.email:
        emails = [address.strip() for address in arguments.email]
        return emails, _address_problems(emails)
    return ([] if arguments.no_email else None), []


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
