"""The `ouderbrug` command line: parses arguments and hands each command to its module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import PROJECT_DIR, Settings, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ouderbrug", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="walk a flow in the terminal, as a parent sees it")
    chat.add_argument("--flow", help="flow id (default: DEFAULT_FLOW)")
    chat.add_argument("--lang", default="nl", help="language code, e.g. ar (default: nl)")
    chat.add_argument("--school", help="DUO code of the school, as if arriving by its link")
    chat.add_argument("--schools", type=Path, help="DUO list to look schools up in")

    flows = commands.add_parser("flows", help="work with the flow files")
    flows_commands = flows.add_subparsers(dest="flows_command", required=True)
    check = flows_commands.add_parser("check", help="report every problem in flow files")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: FLOWS_DIR)")

    i18n = commands.add_parser("i18n", help="work with the translation catalogs")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", required=True)
    i18n_commands.add_parser("extract", help="write locales/ouderbrug.pot from code and flows")
    i18n_commands.add_parser("update", help="merge the template into every language's catalog")
    i18n_commands.add_parser("compile", help="compile the catalogs to .mo files")
    i18n_commands.add_parser("check", help="show how complete each language is")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    arguments = _parser().parse_args(argv)
    settings = load_settings()
    if arguments.command == "chat":
        return _chat(arguments, settings)
    if arguments.command == "flows":
        return _flows_check(arguments.paths or [settings.flows_dir], settings)
    return _i18n(arguments.i18n_command, settings)


def _chat(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.bootstrap import preview_chat

    return preview_chat(
        settings,
        flow_id=arguments.flow,
        language=arguments.lang,
        school=arguments.school,
        schools_file=arguments.schools,
        stdin=sys.stdin,
        stdout=sys.stdout,
    )


def _flows_check(paths: list[Path], settings: Settings) -> int:
    from bot.flowfiles.checker import check_paths, format_report

    problems = check_paths(paths, settings.locales_dir)
    print(format_report(problems))
    return 1 if any(p.is_error for p in problems) else 0


def _i18n(command: str, settings: Settings) -> int:
    from bot.i18n import tools
    from bot.i18n.languages import SUPPORTED

    locales = settings.locales_dir
    if command == "extract":
        print(f"wrote {tools.extract(PROJECT_DIR, locales)}")
        return 0
    if command == "update":
        tools.update(locales, SUPPORTED)
        return 0
    if command == "compile":
        tools.compile_catalogs(locales)
        return 0
    from bot.bootstrap import offered_languages

    required = offered_languages(settings)
    reports = tools.check(locales, sorted(set(SUPPORTED) | required, key=_picker_order))
    print(tools.format_check(reports, required))
    incomplete = [r.code for r in reports if r.code in required and not r.complete]
    if incomplete:
        print(f"incomplete languages that a flow is offered in: {', '.join(incomplete)}")
        return 1
    return 0


def _picker_order(code: str) -> tuple[int, str]:
    from bot.i18n.languages import SUPPORTED

    return (SUPPORTED.index(code), code) if code in SUPPORTED else (len(SUPPORTED), code)
