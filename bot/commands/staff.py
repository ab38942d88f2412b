"""`ouderbrug staff`: see who receives each school's families, take that away, give it back."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.coordinators.staff import Revoked
    from bot.storage.unit import Transactions

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
    from bot.commands.storage import command_transactions
    from bot.coordinators.links import bot_username
    from bot.storage.migrate import DatabaseNotReadyError

    try:
        with command_transactions(settings) as transactions:
            if arguments.staff_command == "list":
                return _list(transactions, arguments.school)
            if arguments.staff_command == "reinstate":
                return _reinstate(transactions, arguments.code, arguments.user_id)
            # As `schools links` does: the setting, else what the bot learned at its start.
            with transactions.read() as uow:
                username = bot_username(uow, settings.telegram_bot_username)
            return _revoke(transactions, arguments, username)
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1


def _list(transactions: Transactions, code: str | None) -> int:
    """Print the staff, by school and joining time."""
    from bot.coordinators.staff import staff_of

    with transactions.read() as uow:
        members = staff_of(uow, code.strip().upper() if code else None)
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


def _revoke(transactions: Transactions, arguments: argparse.Namespace, username: str) -> int:
    """Revoke one staff member of one school and, if wanted, replace the school's staff link.

    Whoever has the link could join again under another Telegram account, so the question
    is asked at a terminal; scripts answer it with a flag, and are never prompted.
    """
    from bot.clock import PROCESS
    from bot.coordinators.links import username_problem
    from bot.coordinators.staff import member_id, revoke

    code = arguments.code.strip().upper()
    user_id: int = arguments.user_id
    with transactions.read() as uow:
        found = member_id(uow, code, user_id)
    if found is None:
        return _no_such_member(code, user_id)
    replace = _replace_link(arguments, code, username)
    if replace is None:
        print("Nothing changed.", file=sys.stderr)
        return 1
    if replace and (problem := username_problem(username)):
        print(f"{problem} Nothing changed.", file=sys.stderr)
        return 1
    with transactions.begin() as uow:
        revoked = revoke(uow, found, code, PROCESS.now(), new_link=replace)
    if revoked is None:  # removed while the question was open
        return _no_such_member(code, user_id)
    _tell_revoked(code, user_id, revoked, username if replace else None)
    return 0


def _tell_revoked(code: str, user_id: int, revoked: Revoked, username: str | None) -> None:
    """Say what the revocation did; with a username, print the new staff link made with it."""
    from bot.schools.links import deep_link, staff_payload

    who = _who(revoked.name, user_id)
    if revoked.already is not None:
        print(f"{who} at {code} was already revoked on {_when(revoked.already)}.")
    else:
        print(f"Revoked {who} at {code}: they no longer receive its families.")
    if username is not None:
        print(f"New staff link of {code}; the old one no longer works:")
        print(f"  {deep_link(username, staff_payload(revoked.staff_token))}")
        print("Give it to the staff who should join; those who joined before stay.")
    else:
        print(
            f"The staff link of {code} still works for whoever has it. If it may have been "
            f"passed on, replace it: `ouderbrug schools links {code} --new-staff-link`."
        )


def _replace_link(arguments: argparse.Namespace, code: str, username: str) -> bool | None:
    """Tell whether to replace the staff link: the flag says, else whoever sits at the terminal.

    None when the one at the terminal left without answering.
    """
    from bot.coordinators.links import username_problem

    if arguments.new_staff_link or arguments.keep_link:
        return bool(arguments.new_staff_link)
    if not sys.stdin.isatty() or username_problem(username):
        return False  # nobody to ask, or no link to print: the note says how to do it later
    try:
        answer = input(
            f"Replace the staff link of {code} too? Whoever has the old one can join again. [y/N] "
        )
    except (EOFError, KeyboardInterrupt):
        print()
        return None  # the question was left unanswered: do nothing rather than guess
    return answer.strip().lower() in ("y", "yes", "j", "ja")


def _reinstate(transactions: Transactions, code: str, user_id: int) -> int:
    """Let a revoked staff member receive the school's families again."""
    from bot.coordinators.staff import reinstate

    code = code.strip().upper()
    with transactions.begin() as uow:
        reinstated = reinstate(uow, code, user_id)
    if reinstated is None:
        return _no_such_member(code, user_id)
    who = _who(reinstated.name, user_id)
    if not reinstated.was_revoked:
        print(f"{who} at {code} was not revoked; nothing changed.")
    else:
        print(f"Reinstated {who} at {code}: they receive its families again.")
    return 0


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
