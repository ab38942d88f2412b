"""`ouderbrug flows`: check flow files; import an XLSForm as a flow."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.settings import Settings

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


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Check the flows, or import a form; exit 1 when there is any error."""
    if arguments.flows_command == "import":
        return _import(arguments, settings)
    from bot.flowfiles.checker import check_paths, format_report

    problems = check_paths(arguments.paths or [settings.flows_dir], settings.locales_dir)
    print(format_report(problems))
    return 1 if any(p.is_error for p in problems) else 0


def _import(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.flowimport.importer import import_form
    from bot.flowimport.report import format_import
    from bot.i18n.languages import SUPPORTED

    report = import_form(
        arguments.form,
        arguments.out or settings.flows_dir,
        settings.locales_dir,
        flow_id=arguments.flow_id,
        language=arguments.language,
        replace=arguments.replace,
    )
    print(format_import(report, SUPPORTED))
    return 1 if report.failed or any(p.is_error for p in report.check) else 0
