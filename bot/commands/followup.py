"""`ouderbrug followup list`: which families the schools have not helped yet, and who acted."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.settings import Settings

NAME = "followup"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its actions."""
    followup = commands.add_parser(NAME, help="see the schools' follow-up of their families")
    actions = followup.add_subparsers(dest="followup_command", required=True)
    listing = actions.add_parser("list", help="families not marked helped yet, oldest first")
    listing.add_argument("--school", metavar="CODE", help="only this school's families")
    listing.add_argument(
        "--all", action="store_true", help="also the families already marked helped"
    )


HEADER = (
    "school",
    "family",
    "grade",
    "answered",
    "in digest",
    "status",
    "by",
    "at",
    "last message",
)


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Print the follow-up table; return the exit code."""
    from bot.commands.schools import not_a_code
    from bot.commands.storage import command_transactions
    from bot.coordinators.followup import follow_up
    from bot.schools.links import school_code
    from bot.storage.migrate import DatabaseNotReadyError

    code = None
    if arguments.school is not None and (code := school_code(arguments.school)) is None:
        print(not_a_code(arguments.school), file=sys.stderr)
        return 1
    try:
        with (
            command_transactions(settings, reading=True) as transactions,
            transactions.read() as uow,
        ):
            families = follow_up(uow, code, helped=arguments.all)
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1
    if not families:
        print("No families to follow up." if not arguments.all else "No families yet.")
        return 0
    rows = [
        (
            family.school_code,
            str(family.response_id),
            family.grade,
            _when(family.answered),
            "yes" if family.in_digest else "not yet",
            family.status.value,
            family.by,
            _when(family.at),
            _conversation(family.last_by, family.last_at, unanswered=family.unanswered),
        )
        for family in families
    ]
    header = HEADER
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(f"{len(rows)} famil{'ies' if len(rows) != 1 else 'y'} (times in Europe/Amsterdam)")
    return 0


def _conversation(by: str, at: datetime | None, *, unanswered: bool) -> str:
    """Write who sent a family's latest conversation message, when, and whether it waits."""
    if at is None:
        return ""
    return f"{by} {_when(at)}" + (", unanswered for 2 days" if unanswered else "")


def _when(moment: datetime | None) -> str:
    """Write a time in Dutch local time, to the minute."""
    from bot.clock import AMSTERDAM, aware

    if moment is None:
        return ""
    return aware(moment).astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M")
