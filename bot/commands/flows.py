"""`ouderbrug flows check`: every problem in flow files, by file, line and step."""

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


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Check the flows; exit 1 when any has an error."""
    from bot.flowfiles.checker import check_paths, format_report

    problems = check_paths(arguments.paths or [settings.flows_dir], settings.locales_dir)
    print(format_report(problems))
    return 1 if any(p.is_error for p in problems) else 0
