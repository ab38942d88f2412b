"""`ouderbrug schools`: import DUO lists, add and list schools, hand out their links."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.schools.duo import School as DuoSchool
    from bot.storage.models import School as SchoolRow

NAME = "schools"
_POSTCODE = re.compile(r"([0-9]{4}) ?([A-Z]{2})")
# What `schools add` may set, as option and column names alike.
_ADD_FIELDS = (
    *("name", "street", "house_number", "postcode", "town"),
    *("municipality", "phone", "website", "sector"),
)
# What a school cannot be without: a school is found by name and town.
_NEEDED = {"name": "A school needs a name (--name).", "town": "A school needs a town (--town)."}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its actions."""
    schools = commands.add_parser(NAME, help="manage the schools and their links")
    actions = schools.add_subparsers(dest="schools_command", required=True)

    imports = actions.add_parser("import", help="add or update schools from DUO lists")
    imports.add_argument("files", nargs="+", type=Path, help="DUO vestigingen CSV files")

    add = actions.add_parser("add", help="add one school, or change one with --update")
    add.add_argument("code", help="DUO location code, e.g. 16AH00")
    add.add_argument(
        "--update",
        action="store_true",
        help="change the given fields of a school already there (else refused, to keep "
        "DUO's data from being overwritten by mistake)",
    )
    add.add_argument("--name", help="the school's name (needed to add one)")
    add.add_argument("--town", help="place name, stored in capitals as DUO does (needed to add)")
    add.add_argument("--street")
    add.add_argument("--house-number")
    add.add_argument("--postcode")
    add.add_argument("--municipality")
    add.add_argument("--phone")
    add.add_argument("--website")
    add.add_argument("--sector", choices=("po", "vo"), help="po: primary, vo: secondary")

    settings = actions.add_parser(
        "set", help="change a school's digest: schedule, language, e-mail addresses"
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

    listing = actions.add_parser("list", help="show the schools")
    listing.add_argument("--town", help="only schools in this town")

    links = actions.add_parser("links", help="print a school's links and write its QR code")
    links.add_argument("code", help="DUO location code, e.g. 16AH00")
    links.add_argument(
        "--output-dir", type=Path, default=Path(), help="folder for the QR code (default: here)"
    )
    links.add_argument(
        "--new-staff-link",
        action="store_true",
        help="replace the staff link; the old one stops working",
    )


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run one schools action; return the exit code."""
    from bot.commands.db import database
    from bot.storage.db import session_factory
    from bot.storage.migrate import DatabaseNotReadyError

    action = arguments.schools_command
    try:
        with database(settings) as engine:
            sessions = session_factory(engine)
            if action == "import":
                return _import(sessions, arguments.files)
            if action == "add":
                return _add(sessions, arguments)
            if action == "list":
                return _list(sessions, arguments.town)
            if action == "set":
                from bot.commands.digestsettings import set_digest

                return set_digest(sessions, arguments, settings)
            username = _bot_username(sessions, settings.telegram_bot_username)
            if problem := _username_problem(username):
                print(problem, file=sys.stderr)
                return 1
            return _links(sessions, arguments, username)
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1


def not_a_code(text: str) -> str:
    """Say that what was typed is not a DUO school code, shown with any hidden characters."""
    return (
        f"{text!r} is not a DUO school code: two digits, two letters and two digits, like 16AH00."
    )


def _bot_username(sessions: sessionmaker[Session], configured: str) -> str:
    """Return TELEGRAM_BOT_USERNAME when set, else the username the bot learned at start."""
    from bot.storage import stored

    if configured:
        return configured
    with sessions() as db:
        return stored.recall(db, stored.BOT_USERNAME) or ""


def _username_problem(username: str) -> str | None:
    """Say what is wrong with the bot's username for making links, if anything."""
    from bot.schools.links import USERNAME_UNKNOWN, deep_link

    if not username:
        return USERNAME_UNKNOWN
    try:
        deep_link(username, "check")
    except ValueError:
        return (
            f"TELEGRAM_BOT_USERNAME {username!r} is not a Telegram bot username: set it to "
            "the bot's username as BotFather gave it, such as OuderbrugBot."
        )
    return None


def _import(sessions: sessionmaker[Session], files: list[Path]) -> int:
    """Check every file, then import them all in one transaction: all of them or nothing."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.schools.importer import ImportCounts, import_schools

    lists, problems = _read_lists(files)
    if problems:
        print(
            "\n".join([*problems, "Fix these and import again; nothing was imported."]),
            file=sys.stderr,
        )
        return 1
    total = ImportCounts()
    report = []
    try:
        with sessions.begin() as session:
            for path, schools in lists:
                counts = import_schools(session, schools)
                report.append(f"{path}: {counts}")
                total += counts
    except SQLAlchemyError as error:
        # The files were checked against the table's sizes; this is the database's own word.
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"The database refused the schools: {reason}; nothing was imported.", file=sys.stderr)
        return 1
    # Only now, once committed: counts printed before a later file failed would mislead.
    print("\n".join(report))
    if len(files) > 1:
        print(f"total: {total}")
    return 0


def _read_lists(files: list[Path]) -> tuple[list[tuple[Path, list[DuoSchool]]], list[str]]:
    """Read and check every file; return the schools of each, and every problem found."""
    from bot.schools.duo import DuoFormatError, read_duo

    lists = []
    problems = []
    for path in files:
        try:
            lists.append((path, read_duo(path)))
        except DuoFormatError as error:
            problems.append(str(error))
        except OSError as error:
            problems.append(f"Cannot read {error.filename}: {error.strerror}")
    return lists, problems


def _add(sessions: sessionmaker[Session], arguments: argparse.Namespace) -> int:
    """Add one school, or with --update change the given fields of one already there."""
    from bot.schools.links import new_staff_token, school_code
    from bot.storage.models import School

    code = school_code(arguments.code)
    if code is None:
        print(not_a_code(arguments.code), file=sys.stderr)
        return 1
    given, problems = _given_fields(arguments)
    with sessions.begin() as session:
        school = session.get(School, code)
        problems += _add_problems(code, school, given, update=arguments.update)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        if school is None:
            school = School(code=code, staff_token=new_staff_token(), **{"sector": "po", **given})
            session.add(school)
            verb = "Added"
        else:
            for field, value in given.items():
                setattr(school, field, value)
            verb = "Updated"
        shown = f"{verb} school {code}: {school.name}, {school.town}."
    print(shown)
    return 0


def _given_fields(arguments: argparse.Namespace) -> tuple[dict[str, str | None], list[str]]:
    """Return the fields given on the command line, tidied, and what keeps them from fitting."""
    from bot.schools.duo import FIELD_LIMITS, cell_problem

    given: dict[str, str | None] = {}
    problems = []
    for field in _ADD_FIELDS:
        value = getattr(arguments, field)
        if value is None:
            continue
        tidied = given[field] = _tidy(field, value)
        if tidied is None and field in _NEEDED:
            problems.append(_NEEDED[field])
        elif tidied is not None and field in FIELD_LIMITS:
            option = f"--{field.replace('_', '-')}"
            if problem := cell_problem(option, tidied, FIELD_LIMITS[field]):
                problems.append(f"{problem}.")
    return given, problems


def _add_problems(
    code: str, school: SchoolRow | None, given: dict[str, str | None], *, update: bool
) -> list[str]:
    """Say why adding (or updating) this school is refused, if it is."""
    if school is not None and not update:
        return [
            f"School {code} is already there: {school.name}, {school.town}. "
            "Add --update to change it; nothing changed."
        ]
    if school is None and update:
        return [f"There is no school {code} to update: leave out --update to add it."]
    if school is None:
        return [message for field, message in _NEEDED.items() if field not in given]
    return []


def _tidy(field: str, value: str) -> str | None:
    """Write a typed value the way DUO lists do, so imported and added schools look alike."""
    value = " ".join(value.split())
    if field in ("town", "municipality"):
        value = value.upper()
    elif field == "postcode" and (match := _POSTCODE.fullmatch(value.upper())):
        value = f"{match[1]} {match[2]}"
    return value or None


def _list(sessions: sessionmaker[Session], town: str | None) -> int:
    """Print a table of the schools, by town and name."""
    from sqlalchemy import func, select

    from bot.schools.duo import cell_problem
    from bot.storage.models import School

    query = select(School.code, School.name, School.town, School.sector)
    # PostgreSQL refuses NUL in a query; no town holds a control character anyway.
    if town and (problem := cell_problem("--town", town, len(town))):
        print(f"{problem}.", file=sys.stderr)
        return 1
    if town:
        query = query.where(func.upper(School.town) == " ".join(town.split()).upper())
    with sessions() as session:
        rows = [
            tuple(cell or "" for cell in row)
            for row in session.execute(query.order_by(School.town, School.name, School.code))
        ]
    if not rows:
        print(f"No schools in {town}." if town else "No schools yet: import a DUO list first.")
        return 0
    print(_table(("code", "name", "town", "sector"), rows))
    print(f"{len(rows)} school{'s' if len(rows) != 1 else ''}")
    return 0


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


def _links(sessions: sessionmaker[Session], arguments: argparse.Namespace, username: str) -> int:
    """Print a school's parent and staff links and write the parent link's QR code."""
    from bot.schools.links import (
        deep_link,
        new_staff_token,
        parent_payload,
        school_code,
        staff_payload,
        write_qr,
    )
    from bot.storage.models import School

    code = school_code(arguments.code)
    with sessions.begin() as session:
        school = session.get(School, code) if code else None
        if school is None:
            print(f"There is no school with code {arguments.code!r}.", file=sys.stderr)
            return 1
        parent_url = deep_link(username, parent_payload(school.code))
        # The QR code first: should it fail, no new staff token replaces the old link unseen.
        try:
            qr_path = write_qr(parent_url, arguments.output_dir / f"{school.code}-ouderlink.png")
        except OSError as error:
            print(
                f"Cannot write the QR code to {error.filename}: {error.strerror}.", file=sys.stderr
            )
            return 1
        if arguments.new_staff_link:
            school.staff_token = new_staff_token()
        staff_url = deep_link(username, staff_payload(school.staff_token))
        title = f"{school.code} {school.name}" + (f", {school.town}" if school.town else "")
    print(title)
    print()
    print("Ouderlink (openbaar, voor de brief aan ouders)")
    print("Parent link (public, for the letter to parents)")
    print(f"  {parent_url}")
    print()
    print("Personeelslink (geheim: alleen voor het team)")
    print("Staff link (secret: for the team only)")
    print(f"  {staff_url}")
    if arguments.new_staff_link:
        print("  Nieuwe personeelslink: de oude werkt niet meer.")
        print("  New staff link: the old one no longer works.")
        print("  (Wie al meedoet, blijft: intrekken met / Staff who joined stay: revoke with")
        print(f"  `ouderbrug staff revoke {school.code} USER_ID`.)")
    print()
    print(f"QR-code van de ouderlink / QR code of the parent link: {qr_path}")
    return 0
