"""The `ouderbrug` command line: parses arguments and hands each command to its module."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from pydantic import ValidationError

from bot.settings import load_settings

# Each module in bot/commands/ adds one command group (NAME, register, run).
COMMANDS = (
    *("chat", "flows", "i18n", "run", "db", "schools", "staff", "export"),
    *("digest", "followup", "translate", "demo", "broadcast", "dashboard"),
)


def settings_problem(error: ValidationError) -> str:
    """Name the first setting that cannot be read, in one sentence, without its value."""
    first = error.errors()[0]
    name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
    reason = str(first["msg"]).removeprefix("Value error, ")
    return f"{name} in the environment or .env cannot be used: {reason}."


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
        settings = load_settings()
    except ValidationError as error:
        print(settings_problem(error), file=sys.stderr)
        return 1
    try:
        code: int = modules[arguments.command].run(arguments, settings)
        sys.stdout.flush()
    except BrokenPipeError:
        # `ouderbrug export | head`: the reader left early, which is no error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code
