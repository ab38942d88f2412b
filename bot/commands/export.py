"""`ouderbrug export`: every response as a CSV or XLSX table, one row per child."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sqlalchemy import Engine

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.exports import Selection

NAME = "export"
StepOrders = dict[str, Sequence[str]]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its options."""
    export = commands.add_parser(NAME, help="write the responses as a CSV or XLSX table")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--school", metavar="CODE", help="only this school's responses")
    which.add_argument(
        "--unassigned",
        action="store_true",
        help="only responses whose school was not in the list (for the coordinator)",
    )
    export.add_argument("--format", choices=("csv", "xlsx"), required=True)
    export.add_argument("--output", type=Path, help="file to write (default for CSV: stdout)")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Write the export; return the exit code."""
    from bot.commands.db import database
    from bot.exports import Selection
    from bot.storage.migrate import DatabaseNotReadyError

    if arguments.format == "xlsx" and arguments.output is None:
        print("An XLSX export needs --output FILE.xlsx.", file=sys.stderr)
        return 1
    code = arguments.school.strip().upper() if arguments.school else None
    selection = Selection(school=code, unassigned=arguments.unassigned)
    try:
        with database(settings) as engine:
            return _export(engine, selection, arguments, _step_orders(settings))
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1


def _export(
    engine: Engine, selection: Selection, arguments: argparse.Namespace, orders: StepOrders
) -> int:
    from bot.exports import FIXED_COLUMNS, answer_columns, export_rows, write_csv, write_xlsx
    from bot.storage.db import readonly, session_factory
    from bot.storage.models import School

    if engine.dialect.name == "postgresql":
        # Both passes (columns, then rows) see one snapshot, without blocking the bot.
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    # On SQLite, read without taking the write lock the bot needs.
    engine = readonly(engine)
    with session_factory(engine)() as session:
        if selection.school is not None and session.get(School, selection.school) is None:
            print(f"There is no school with code {selection.school!r}.", file=sys.stderr)
            return 1
        steps = answer_columns(session, selection, orders)
        header = [*FIXED_COLUMNS, *steps]
        rows = export_rows(session, selection, steps)
        output: Path | None = arguments.output
        if arguments.format == "xlsx":
            assert output is not None
            count = write_xlsx(header, rows, output)
        elif output is None:
            with _stdout_utf8() as stream:
                count = write_csv(header, rows, stream)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            with output.open("w", encoding="utf-8", newline="") as stream:
                count = write_csv(header, rows, stream)
    where = output.resolve() if output else "standard output"
    print(f"Exported {count} response{'s' if count != 1 else ''} to {where}.", file=sys.stderr)
    return 0


def _step_orders(settings: Settings) -> StepOrders:
    """Return each current flow's answered step ids in order; none when flows cannot load."""
    from bot.bootstrap import load_flow_set

    flows = load_flow_set(settings).flows.values()
    return {flow.id: [step.id for step in flow.steps if step.answered] for flow in flows}


@contextmanager
def _stdout_utf8() -> Iterator[TextIO]:
    """Lend standard output as UTF-8 whatever the terminal's encoding, for CSV."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        yield sys.stdout
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield stream
    finally:
        stream.flush()
        # Hand the buffer back to sys.stdout instead of closing it with the wrapper.
        stream.detach()
