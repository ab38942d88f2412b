"""`ouderbrug followup list`: which families the schools have not helped yet, and who acted."""

from __future__ import annotations

import argparse
import sys

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


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Print the follow-up table; return the exit code."""
    from sqlalchemy import select

    from bot.clock import AMSTERDAM, aware
    from bot.commands.db import database
    from bot.commands.schools import not_a_code
    from bot.messages.followup import FollowUpStatus
    from bot.schools.links import school_code
    from bot.storage.db import readonly, session_factory
    from bot.storage.migrate import DatabaseNotReadyError
    from bot.storage.models import Response, Staff

    query = (
        select(Response, Staff.name)
        .outerjoin(Staff, Staff.id == Response.followup_staff_id)
        .where(Response.school_code.is_not(None))
        .order_by(Response.school_code, Response.completed_at, Response.id)
    )
    if arguments.school is not None:
        code = school_code(arguments.school)
        if code is None:
            print(not_a_code(arguments.school), file=sys.stderr)
            return 1
        query = query.where(Response.school_code == code)
    if not arguments.all:
        query = query.where(Response.followup_status != FollowUpStatus.HELPED)

    def when(moment: object) -> str:
        from datetime import datetime

        if not isinstance(moment, datetime):
            return ""
        return aware(moment).astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M")

    try:
        with database(settings) as engine, session_factory(readonly(engine))() as db:
            rows = [
                (
                    response.school_code or "",
                    str(response.id),
                    str(response.answers.get("grade", "")),
                    when(response.completed_at),
                    "yes" if response.digest_id is not None else "not yet",
                    response.followup_status,
                    name or "",
                    when(response.followup_at),
                )
                for response, name in db.execute(query)
            ]
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1
    if not rows:
        print("No families to follow up." if not arguments.all else "No families yet.")
        return 0
    header = ("school", "family", "grade", "answered", "in digest", "status", "by", "at")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(f"{len(rows)} famil{'ies' if len(rows) != 1 else 'y'} (times in Europe/Amsterdam)")
    return 0
