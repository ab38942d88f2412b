"""`ouderbrug schools`: import DUO lists, add and list schools, hand out their links."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings

NAME = "schools"
_POSTCODE = re.compile(r"([0-9]{4}) ?([A-Z]{2})")
# What `schools add` may set, as option and column names alike.
_ADD_FIELDS = (
    *("name", "street", "house_number", "postcode", "town"),
    *("municipality", "phone", "website", "sector"),
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its actions."""
    schools = commands.add_parser(NAME, help="manage the schools and their links")
    actions = schools.add_subparsers(dest="schools_command", required=True)

    imports = actions.add_parser("import", help="add or update schools from DUO lists")
    imports.add_argument("files", nargs="+", type=Path, help="DUO vestigingen CSV files")

    add = actions.add_parser("add", help="add one school, or change one already there")
    add.add_argument("code", help="DUO location code, e.g. 16AH00")
    add.add_argument("--name", required=True)
    add.add_argument("--town", required=True, help="place name; stored in capitals as DUO does")
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
    """Import every file in one transaction: a broken file leaves the table as it was."""
    from bot.schools.duo import DuoFormatError, read_duo
    from bot.schools.importer import ImportCounts, import_schools

    total = ImportCounts()
    report = []
    try:
        with sessions.begin() as session:
            for path in files:
                counts = import_schools(session, read_duo(path))
                report.append(f"{path}: {counts}")
                total += counts
    except DuoFormatError as error:
        print(f"{error}; nothing was imported.", file=sys.stderr)
        return 1
    except OSError as error:
        print(
            f"Cannot read {error.filename}: {error.strerror}; nothing was imported.",
            file=sys.stderr,
        )
        return 1
    # Only now, once committed: counts printed before a later file failed would mislead.
    print("\n".join(report))
    if len(files) > 1:
        print(f"total: {total}")
    return 0


def _add(sessions: sessionmaker[Session], arguments: argparse.Namespace) -> int:
    """Add one school, or change the given fields of one already there."""
    from bot.schools.links import new_staff_token, school_code
    from bot.storage.models import School

    code = school_code(arguments.code)
    if code is None:
        print(
            f"{arguments.code!r} is not a DUO school code: two digits, two letters and "
            "two digits, like 16AH00.",
            file=sys.stderr,
        )
        return 1
    given = {
        field: _tidy(field, value)
        for field in _ADD_FIELDS
        if (value := getattr(arguments, field)) is not None
    }
    with sessions.begin() as session:
        school = session.get(School, code)
        if school is None:
            session.add(
                School(code=code, staff_token=new_staff_token(), **{"sector": "po", **given})
            )
            verb = "Added"
        else:
            for field, value in given.items():
                setattr(school, field, value)
            verb = "Updated"
    print(f"{verb} school {code}: {given['name']}, {given['town']}.")
    return 0


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

    from bot.storage.models import School

    query = select(School.code, School.name, School.town, School.sector)
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
