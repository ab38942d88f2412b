"""`ouderbrug schools`: import DUO lists, add and list schools, hand out their links."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands.digestsettings import register_set, set_digest
from bot.commands.pupils import import_pupils, register_pupils
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.schools.duo import School as DuoSchool
    from bot.storage.unit import Transactions

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
    _register_add(actions)
    register_set(actions)
    register_pupils(actions)
    listing = actions.add_parser("list", help="show the schools")
    listing.add_argument("--town", help="only schools in this town")
    links = actions.add_parser("links", help="print a school's links and write its QR code")
    links.add_argument("code", help="DUO location code, e.g. 16AH00")
    links.add_argument(
        "--output-dir", type=Path, default=Path(), help="folder for the QR code (default: here)"
    )
    links.add_argument(
        "--flow", metavar="ID", help="a parent link that starts this flow (see flows/README.md)"
    )
    links.add_argument(
        "--new-staff-link",
        action="store_true",
        help="replace the staff link; the old one stops working",
    )


def _register_add(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `schools add`: its options are the columns a coordinator may set."""
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


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run one schools action; return the exit code."""
    from bot.commands.storage import command_transactions
    from bot.coordinators.links import bot_username, username_problem
    from bot.storage.migrate import DatabaseNotReadyError

    action = arguments.schools_command
    try:
        with command_transactions(settings) as transactions:
            if action == "import":
                return _import(transactions, arguments.files)
            if action == "add":
                return _add(transactions, arguments)
            if action == "list":
                return _list(transactions, arguments.town)
            if action == "set":
                return set_digest(transactions, arguments, settings)
            if action == "import-pupils":
                return import_pupils(transactions, arguments.file)
            with transactions.read() as uow:
                username = bot_username(uow, settings.telegram_bot_username)
            if problem := username_problem(username):
                print(problem, file=sys.stderr)
                return 1
            return _links(transactions, arguments, username, settings)
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1


def not_a_code(text: str) -> str:
    """Say that what was typed is not a DUO school code, shown with any hidden characters."""
    return (
        f"{text!r} is not a DUO school code: two digits, two letters and two digits, like 16AH00."
    )


def _import(transactions: Transactions, files: list[Path]) -> int:
    """Check every file, then import them all in one transaction: all of them or nothing."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.coordinators.schools import import_lists
    from bot.schools.importer import ImportCounts

    lists, problems = _read_lists(files)
    if problems:
        print(
            "\n".join([*problems, "Fix these and import again; nothing was imported."]),
            file=sys.stderr,
        )
        return 1
    try:
        with transactions.begin() as uow:
            counted = import_lists(uow, lists)
    except SQLAlchemyError as error:
        # The files were checked against the table's sizes; this is the database's own word.
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"The database refused the schools: {reason}; nothing was imported.", file=sys.stderr)
        return 1
    # Only now, once committed: counts printed before a later file failed would mislead.
    print("\n".join(f"{path}: {counts}" for path, counts in counted))
    if len(files) > 1:
        print(f"total: {sum((counts for _, counts in counted), ImportCounts())}")
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


def _add(transactions: Transactions, arguments: argparse.Namespace) -> int:
    """Add one school, or with --update change the given fields of one already there."""
    from bot.coordinators.schools import add_refusals, add_school
    from bot.schools.links import school_code

    code = school_code(arguments.code)
    if code is None:
        print(not_a_code(arguments.code), file=sys.stderr)
        return 1
    given, problems = _given_fields(arguments)
    with transactions.begin() as uow:
        problems += add_refusals(uow, code, given, update=arguments.update)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        shown = add_school(uow, code, given)
    print(shown)
    return 0


def _given_fields(arguments: argparse.Namespace) -> tuple[dict[str, str | None], list[str]]:
    """Return the fields given on the command line, tidied, and what keeps them from fitting."""
    from bot.coordinators.schools import NEEDED
    from bot.schools.duo import FIELD_LIMITS, cell_problem

    given: dict[str, str | None] = {}
    problems = []
    for field in _ADD_FIELDS:
        value = getattr(arguments, field)
        if value is None:
            continue
        tidied = given[field] = _tidy(field, value)
        if tidied is None and field in NEEDED:
            problems.append(NEEDED[field])
        elif tidied is not None and field in FIELD_LIMITS:
            option = f"--{field.replace('_', '-')}"
            if problem := cell_problem(option, tidied, FIELD_LIMITS[field]):
                problems.append(f"{problem}.")
    return given, problems


def _tidy(field: str, value: str) -> str | None:
    """Write a typed value the way DUO lists do, so imported and added schools look alike."""
    value = " ".join(value.split())
    if field in ("town", "municipality"):
        value = value.upper()
    elif field == "postcode" and (match := _POSTCODE.fullmatch(value.upper())):
        value = f"{match[1]} {match[2]}"
    return value or None


def _list(transactions: Transactions, town: str | None) -> int:
    """Print a table of the schools, by town and name."""
    from bot.coordinators.schools import schools_in
    from bot.schools.duo import cell_problem

    # PostgreSQL refuses NUL in a query; no town holds a control character anyway.
    if town and (problem := cell_problem("--town", town, len(town))):
        print(f"{problem}.", file=sys.stderr)
        return 1
    with transactions.read() as uow:
        rows = [
            tuple(cell or "" for cell in (school.code, school.name, school.town, school.sector))
            for school in schools_in(uow, town)
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


def _links(
    transactions: Transactions, arguments: argparse.Namespace, username: str, settings: Settings
) -> int:
    """Print a school's parent and staff links and write the parent link's QR code."""
    from bot.commands.flowchoice import parent_link
    from bot.coordinators.schools import replace_staff_link, school
    from bot.schools.links import deep_link, school_code, staff_payload, write_qr

    with transactions.begin() as uow:
        found = school(uow, school_code(arguments.code))
        if found is None:
            print(f"There is no school with code {arguments.code!r}.", file=sys.stderr)
            return 1
        made = parent_link(uow, found, arguments.flow, settings)
        if made is None:
            return 1
        parent_url = deep_link(username, made[0])
        # The QR code first: should it fail, no new staff token replaces the old link unseen.
        try:
            qr_path = write_qr(parent_url, arguments.output_dir / made[1])
        except OSError as error:
            print(
                f"Cannot write the QR code to {error.filename}: {error.strerror}.", file=sys.stderr
            )
            return 1
        token = replace_staff_link(uow, found.code) if arguments.new_staff_link else None
        staff_url = deep_link(username, staff_payload(token or found.staff_token))
        title = f"{found.code} {found.name}" + (f", {found.town}" if found.town else "")
    _print_links(title, parent_url, staff_url, found.code if token else None)
    print()
    print(f"QR-code van de ouderlink / QR code of the parent link: {qr_path}")
    return 0


def _print_links(title: str, parent_url: str, staff_url: str, replaced: str | None) -> None:
    """Print both links, in Dutch and English; `replaced` names a school whose staff link is new."""
    print(title)
    print()
    print("Ouderlink (openbaar, voor de brief aan ouders)")
    print("Parent link (public, for the letter to parents)")
    print(f"  {parent_url}")
    print()
    print("Personeelslink (geheim: alleen voor het team)")
    print("Staff link (secret: for the team only)")
    print(f"  {staff_url}")
    if replaced is not None:
        print("  Nieuwe personeelslink: de oude werkt niet meer.")
        print("  New staff link: the old one no longer works.")
        print("  (Wie al meedoet, blijft: intrekken met / Staff who joined stay: revoke with")
        print(f"  `ouderbrug staff revoke {replaced} USER_ID`.)")
