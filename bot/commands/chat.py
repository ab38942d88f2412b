"""`ouderbrug chat`: the terminal preview of a flow."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import Settings

NAME = "chat"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its options."""
    chat = commands.add_parser(NAME, help="walk a flow in the terminal, as a parent sees it")
    chat.add_argument("--flow", help="flow id (default: DEFAULT_FLOW)")
    chat.add_argument(
        "--lang", help="pick this language at the picker, e.g. ar (default: choose there)"
    )
    chat.add_argument("--school", help="DUO code of the school, as if arriving by its link")
    chat.add_argument("--schools", type=Path, help="DUO list to look schools up in")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run the preview; return the exit code."""
    from bot.system.bootstrap import preview_chat

    return preview_chat(
        settings,
        flow_id=arguments.flow,
        language=arguments.lang,
        school=arguments.school,
        schools_file=arguments.schools,
        stdin=sys.stdin,
        stdout=sys.stdout,
    )
