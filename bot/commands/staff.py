"""`ouderbrug staff`: see who receives each school's families, and take that away."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

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


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run one staff action; return the exit code."""
    from bot.commands.db import database
    from bot.storage.db import session_factory
    from bot.storage.migrate import DatabaseNotReadyError

    try:
        with database(settings) as engine:
            sessions = session_factory(engine)
            if arguments.staff_command == "list":
                return _list(sessions, arguments.school)
            return _revoke(sessions, arguments.code, arguments.user_id)
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1


def _list(sessions: sessionmaker[Session], code: str | None) -> int:
    """Print the staff, by school and joining time."""
    from sqlalchemy import select

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


def _revoke(sessions: sessionmaker[Session], code: str, user_id: int) -> int:
    """Mark one staff member of one school as revoked; say so, or that nothing matched."""
    from sqlalchemy import select

    from bot.storage.models import Staff, utcnow

    code = code.strip().upper()
    with sessions.begin() as session:
        member = session.scalars(
            select(Staff).where(Staff.school_code == code, Staff.telegram_user_id == user_id)
        ).one_or_none()
        if member is None:
            print(
                f"No staff member with Telegram user id {user_id} at school {code}; "
                "nothing changed.",
                file=sys.stderr,
            )
            return 1
        if member.revoked_at is not None:
            print(
                f"{_who(member.name, user_id)} at {code} was already revoked on "
                f"{_when(member.revoked_at)}; nothing changed."
            )
            return 0
        member.revoked_at = utcnow()
    print(f"Revoked {_who(member.name, user_id)} at {code}: they no longer receive its families.")
    return 0


def _who(name: str, user_id: int) -> str:
    return f"{name} (Telegram user {user_id})" if name else f"Telegram user {user_id}"


def _when(moment: datetime | None) -> str:
    """Write a time in UTC to the minute; SQLite hands times back without their zone."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
