"""`ouderbrug demo`: fill a database of its own with real schools and invented families."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.demo import Contents
    from bot.system.build import System

NAME = "demo"
REFUSAL = (
    "The database {database} holds {people}: the demo never mixes its invented families "
    "into real data. Run it on a database of its own, such as "
    "`DATA_DIR=demo-data DATABASE_URL= ouderbrug demo`."
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its options."""
    demo = commands.add_parser(
        NAME,
        help="import a few real schools and let invented families answer, to try the product",
    )
    what = demo.add_mutually_exclusive_group()
    what.add_argument(
        "--reset", action="store_true", help="erase the demo families, then let them answer again"
    )
    what.add_argument(
        "--remove", action="store_true", help="erase the demo families and their digests"
    )


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Play the demo, or replace or remove its families; return the exit code."""
    from sqlalchemy.exc import OperationalError

    from bot.commands.db import describe
    from bot.storage.migrate import upgrade
    from bot.system.build import build_system

    url = settings.database
    try:
        upgrade(url)
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        print(f"Cannot open the database {describe(url)}: {reason}", file=sys.stderr)
        return 1
    # The bot as it runs, telling nobody: no coordinators, no e-mail, nothing sent.
    quiet: dict[str, object] = {"coordinator_ids": [], "coordinator_emails": [], "smtp_url": None}
    system = build_system(settings.model_copy(update=quiet))
    try:
        return _demo(system, arguments)
    finally:
        system.storage.close()


def _demo(system: System, arguments: argparse.Namespace) -> int:
    """Refuse real data, replace or remove the demo's families, or let them answer."""
    from bot.commands.db import describe
    from bot.demo import contents, remove

    settings = system.settings
    sessions = system.storage.sessions
    found = contents(sessions)
    if found.real_people:
        database = describe(settings.database)
        print(REFUSAL.format(database=database, people=_people(found)), file=sys.stderr)
        return 1
    if arguments.remove or (arguments.reset and found.demo_parents):
        print(f"Erased {remove(sessions)} demo families and their digests.")
        if arguments.remove:
            return 0
    elif found.demo_parents:
        print(
            f"The {found.demo_parents} demo families are here already; nothing was added. "
            "`ouderbrug demo --reset` lets them answer again from the start."
        )
        _next_steps()
        return 0
    return _play(system)


def _play(system: System) -> int:
    """Import the schools, let the families answer, say what was stored and what next."""
    from bot.demo import play
    from bot.demo.simulate import DemoFlowError

    settings = system.settings
    try:
        played = play(
            system.storage.sessions,
            system.reception,
            system.registry,
            system.schools,
            settings.default_flow,
        )
    except DemoFlowError as error:
        print(
            f"The demo families cannot finish the flow {settings.default_flow!r} in "
            f"{settings.flows_dir}: {error}. They answer the flow shipped with Ouderbrug; "
            "`ouderbrug demo --reset` starts again once it is back.",
            file=sys.stderr,
        )
        return 1
    print(f"Imported the bundled DUO extract (schools in Arnhem and Zwolle): {played.schools}.")
    print(
        f"{played.families} invented families answered for {played.children} children, in "
        f"{', '.join(played.languages)}, through the same service Telegram updates reach. "
        "Nothing was sent to anyone."
    )
    _next_steps()
    return 0


def _people(found: Contents) -> str:
    parts = []
    if found.other_parents:
        parts.append(f"{found.other_parents} parents")
    if found.staff:
        parts.append(f"{found.staff} staff members")
    return " and ".join(parts) + " that are not the demo's"


def _next_steps() -> None:
    from bot.demo.families import FIRST_SCHOOL

    code = FIRST_SCHOOL
    print()
    print("Open next:")
    print(f"  ouderbrug digest preview {code}          the digest the school gets")
    print(f"  ouderbrug followup list --school {code}  which families still wait for help")
    print(f"  ouderbrug export --school {code} --format xlsx --output {code}.xlsx")
    print("  ouderbrug schools list                   the demo's schools")
    print(f"  ouderbrug chat --school {code}           answer the questions yourself")
