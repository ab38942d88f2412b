"""The `ouderbrug` command line: parses arguments and hands each command to its module."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from bot.settings import load_settings

# Each module in bot/commands/ adds one command group (NAME, register, run).
COMMANDS = (
    *("chat", "flows", "i18n", "run", "db", "schools", "staff", "export"),
    *("digest", "followup", "translate", "demo"),
)


def _modules() -> list[ModuleType]:
    return [importlib.import_module(f"bot.commands.{name}") for name in COMMANDS]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    parser = argparse.ArgumentParser(
        prog="ouderbrug", description="Ouderbrug: school support questions for parents."
    )
    groups = parser.add_subparsers(dest="command", required=True)
    modules = {module.NAME: module for module in _modules()}
    for module in modules.values():
        module.register(groups)
    arguments = parser.parse_args(argv)
    try:
        code: int = modules[arguments.command].run(arguments, load_settings())
        sys.stdout.flush()
    except BrokenPipeError:
        # `ouderbrug export | head`: the reader left early, which is no error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code
