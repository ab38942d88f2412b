"""`ouderbrug staff`: see who receives each school's families, take that away, give it back."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings

NAME = "staff"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its actions."""
    staff = commands.add_parser(NAME, help="manage the school staff who joined by a staff link")
    actions = staff.add_subparsers(dest="staff_command", required=True)
    listing = actions.add_parser("list", help="show the staff of every school, or of one")
    listing.add_argument("--school", metavar="CODE", help="only this school's staff")
    revoke = actions.add_parser("revoke", help="stop sending a school's families to someone")
    revoke.add_argument("code", help="DUO location code, e.g. 16AH00")
    revoke.add_argument("user_id", type=int, help="the staff member's Telegram user id")
    link = revoke.add_mutually_exclusive_group()
    link.add_argument(
        "--new-staff-link",
        action="store_true",
        help="also replace the school's staff link; the old one stops working",
    )
    link.add_argument(
        "--keep-link", action="store_true", help="keep the staff link as it is, without asking"
    )
    reinstate = actions.add_parser(
        "reinstate", help="send a school's families again to someone who was revoked"
    )
    reinstate.add_argument("code", help="DUO location code, e.g. 16AH00")
    reinstate.add_argument("user_id", type=int, help="the staff member's Telegram user id")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run one staff action; return the exit code."""
    from bot.commands.db import database
    from bot.commands.schools import _bot_username
    from bot.storage.db import session_factory
    from bot.storage.migrate import DatabaseNotReadyError

    try:
        with database(settings) as engine:
            sessions = session_factory(engine)
            if arguments.staff_command == "list":
                return _list(sessions, arguments.school)
            if arguments.staff_command == "reinstate":
                return _reinstate(sessions, arguments.code, arguments.user_id)
            # As `schools links` does: the setting, else what the bot learned at its start.
            username = _bot_username(sessions, settings.telegram_bot_username)
            return _revoke(sessions, arguments, username)
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1


def _list(sessions: sessionmaker[Session], code: str | None) -> int:
    """Print the staff, by school and joining time."""
    from bot.storage.models import Staff

    query = select(Staff).order_by(Staff.school_code, Staff.joined_at, Staff.id)
    if code:
        query = query.where(Staff.school_code == code.strip().upper())
    with sessions() as session:
        members = session.scalars(query).all()
    if not members:
        where = f" at school {code.strip().upper()}" if code else ""
        print(f"No staff{where} yet: they join by the school's staff link.")
        return 0
    header = ("school", "name", "telegram user id", "joined", "status")
    rows = [
        (
            member.school_code,
            member.name,
            str(member.telegram_user_id),
            _when(member.joined_at),
            f"revoked {_when(member.revoked_at)}" if member.revoked_at else "active",
        )
        for member in members
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return 0


def _revoke(sessions: sessionmaker[Session], arguments: argparse.Namespace, username: str) -> int:
    """Revoke one staff member of one school and, if wanted, replace the school's staff link.

    Whoever has the link could join again under another Telegram account, so the question
    is asked at a terminal; scripts answer it with a flag, and are never prompted.
    """
    from bot.commands.schools import _username_problem
    from bot.outbox.recall import recall_for_revoked
    from bot.schools.links import deep_link, new_staff_token, staff_payload
    from bot.storage.models import School, Staff, utcnow

    code = arguments.code.strip().upper()
    user_id: int = arguments.user_id
    found = _member(sessions, code, user_id)
    if found is None:
        return _no_such_member(code, user_id)
    replace = _replace_link(arguments, code, username)
    if replace is None:
        print("Nothing changed.", file=sys.stderr)
        return 1
    if replace and (problem := _username_problem(username)):
        print(f"{problem} Nothing changed.", file=sys.stderr)
        return 1
    with sessions.begin() as session:
        member = session.get(Staff, found)
        school = session.get(School, code)
        if member is None or school is None:  # removed while the question was open
            return _no_such_member(code, user_id)
        already = member.revoked_at
        if already is None:
            member.revoked_at = utcnow()
            # What waits for their chat would still show them the school's families.
            recall_for_revoked(session, member)
        if replace:
            school.staff_token = new_staff_token()
        token, name = school.staff_token, member.name
    if already is not None:
        print(f"{_who(name, user_id)} at {code} was already revoked on {_when(already)}.")
    else:
        print(f"Revoked {_who(name, user_id)} at {code}: they no longer receive its families.")
    if replace:
        print(f"New staff link of {code}; the old one no longer works:")
        print(f"  {deep_link(username, staff_payload(token))}")
        print("Give it to the staff who should join; those who joined before stay.")
    else:
        print(
            f"The staff link of {code} still works for whoever has it. If it may have been "
            f"passed on, replace it: `ouderbrug schools links {code} --new-staff-link`."
        )
    return 0


def _replace_link(arguments: argparse.Namespace, code: str, username: str) -> bool | None:
    """Tell whether to replace the staff link: the flag says, else whoever sits at the terminal.

    None when the one at the terminal left without answering.
    """
    from bot.commands.schools import _username_problem

    if arguments.new_staff_link or arguments.keep_link:
        return bool(arguments.new_staff_link)
    if not sys.stdin.isatty() or _username_problem(username):
        return False  # nobody to ask, or no link to print: the note says how to do it later
    try:
        answer = input(
            f"Replace the staff link of {code} too? Whoever has the old one can join again. [y/N] "
        )
    except (EOFError, KeyboardInterrupt):
        print()
        return None  # the question was left unanswered: do nothing rather than guess
    return answer.strip().lower() in ("y", "yes", "j", "ja")


def _reinstate(sessions: sessionmaker[Session], code: str, user_id: int) -> int:
    """Let a revoked staff member receive the school's families again."""
    from bot.storage.models import Staff

    code = code.strip().upper()
    with sessions.begin() as session:
        member = session.scalars(
            select(Staff).where(Staff.school_code == code, Staff.telegram_user_id == user_id)
        ).one_or_none()
        if member is None:
            return _no_such_member(code, user_id)
        was_revoked = member.revoked_at is not None
        member.revoked_at = None
        name = member.name
    if not was_revoked:
        print(f"{_who(name, user_id)} at {code} was not revoked; nothing changed.")
    else:
        print(f"Reinstated {_who(name, user_id)} at {code}: they receive its families again.")
    return 0


def _member(sessions: sessionmaker[Session], code: str, user_id: int) -> int | None:
    """Return the id of the school's staff member with this Telegram user id, if any."""
    from bot.storage.models import Staff

    with sessions() as session:
        return session.scalar(
            select(Staff.id).where(Staff.school_code == code, Staff.telegram_user_id == user_id)
        )


def _no_such_member(code: str, user_id: int) -> int:
    print(
        f"No staff member with Telegram user id {user_id} at school {code}; nothing changed.",
        file=sys.stderr,
    )
    return 1


def _who(name: str, user_id: int) -> str:
    return f"{name} (Telegram user {user_id})" if name else f"Telegram user {user_id}"


def _when(moment: datetime | None) -> str:
    """Write a time in UTC to the minute; SQLite hands times back without their zone."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
