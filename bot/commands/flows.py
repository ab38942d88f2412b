"""`ouderbrug flows`: check flow files, copy a flow whole, import an XLSForm as a flow."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.flowfiles.loader import FlowSet
    from bot.flowfiles.problems import Problem

NAME = "flows"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its options."""
    flows = commands.add_parser(NAME, help="work with the flow files")
    actions = flows.add_subparsers(dest="flows_command", required=True)
    check = actions.add_parser("check", help="report every problem in flow files")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: FLOWS_DIR)")
    form = actions.add_parser(
        "import", help="turn an XLSForm (ODK, KoboToolbox) or a RapidPro export into a flow file"
    )
    form.add_argument(
        "form", type=Path, help="XLSForm (.xlsx, .xls, pyxform's .csv) or RapidPro export (.json)"
    )
    form.add_argument("--id", dest="flow_id", help="the flow's id (default: the form's form_id)")
    form.add_argument("--out", type=Path, help="folder for the flow file (default: FLOWS_DIR)")
    form.add_argument(
        "--language",
        help="the language the flow is written in, and of columns without ::Language "
        "(default: the form's default_language)",
    )
    form.add_argument("--replace", action="store_true", help="overwrite an existing flow file")

    copy = actions.add_parser("copy", help="copy a flow under a new id, with all its translations")
    copy.add_argument("source", metavar="SRC", help="the flow's id, or its file")
    copy.add_argument("new_id", metavar="NEW_ID", help="the id of the copy")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Check, copy or import flows; exit 1 when a check finds an error or nothing was made."""
    if arguments.flows_command == "copy":
        return _copy(arguments, settings)
    if arguments.flows_command == "import":
        return _import(arguments, settings)
    from bot.flowfiles.checker import check_files, format_report
    from bot.flowfiles.roles import role_problems

    checked = check_files(arguments.paths or [settings.flows_dir], settings.locales_dir)
    problems = checked.problems + role_problems(checked) + _versions(checked, settings)
    print(format_report(problems))
    return 1 if any(p.is_error for p in problems) else 0


def _import(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.flowimport.importer import import_form
    from bot.flowimport.report import format_import
    from bot.i18n.languages import offered_codes

    report = import_form(
        arguments.form,
        arguments.out or settings.flows_dir,
        settings.locales_dir,
        flow_id=arguments.flow_id,
        language=arguments.language,
        replace=arguments.replace,
    )
    print(format_import(report, offered_codes(settings.languages)))
    return 1 if report.failed or any(p.is_error for p in report.check) else 0


def _versions(checked: FlowSet, settings: Settings) -> list[Problem]:
    """Compare with the revisions the bot served, when there is a database to ask."""
    from bot.commands.storage import command_transactions
    from bot.flowfiles.versions import version_problems
    from bot.storage.migrate import DatabaseNotReadyError

    try:
        with (
            command_transactions(settings, reading=True) as transactions,
            transactions.read() as uow,
        ):
            return version_problems(checked, uow.flows)
    except DatabaseNotReadyError:
        return []  # No database yet: the bot never served a flow to compare with.


def _copy(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.flowfiles.copying import CopyError, copy_flow

    try:
        copied = copy_flow(
            arguments.source, arguments.new_id, settings.flows_dir, settings.locales_dir
        )
    except CopyError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"wrote {copied.path}")
    for catalog, count in copied.translations.items():
        print(f"  {catalog}: {count} texts copied under '{arguments.new_id}'")
    print(
        f"Change the questions in {copied.path}, then run `ouderbrug flows check`; "
        "texts you change need a new translation (`ouderbrug i18n extract` and `update`)."
    )
    return 0
