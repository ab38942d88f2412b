"""`ouderbrug export`: every response as a table, one row per child, for people or analysts."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from sqlalchemy import Engine

from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.engine.flow import Flow
    from bot.exports import Selection

NAME = "export"
# csv and xlsx for people (Dutch Excel); csv-raw and json keep choice keys for analysts.
FORMATS = ("csv", "xlsx", "csv-raw", "json")
# The format an output file's name asks for when --format is not given.
_BY_SUFFIX = {".xlsx": "xlsx", ".json": "json"}
# What writes the selected responses in one format to a byte stream; returns how many.
Write = Callable[[BinaryIO], int]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its options."""
    export = commands.add_parser(NAME, help="write the responses as a table (CSV, XLSX, JSON)")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--school", metavar="CODE", help="only this school's responses")
    which.add_argument(
        "--unassigned",
        action="store_true",
        help="only responses whose school was not in the list (for the coordinator)",
    )
    export.add_argument(
        "--format",
        choices=FORMATS,
        help="csv (default): for Excel with Dutch settings, Dutch headers and answers, Dutch "
        "time; xlsx: the same as a workbook; csv-raw and json: choice keys and UTC times, "
        "for analysts (default: from the --output name, else csv)",
    )
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Write the export; return the exit code."""
    from bot.commands.db import database
    from bot.commands.schools import not_a_code
    from bot.exports import Selection
    from bot.schools.links import school_code
    from bot.storage.migrate import DatabaseNotReadyError

    output: Path | None = arguments.output
    form = arguments.format or _BY_SUFFIX.get(output.suffix.lower() if output else "", "csv")
    if problem := _output_problem(output, form):
        print(problem, file=sys.stderr)
        return 1
    code = None
    if arguments.school is not None and (code := school_code(arguments.school)) is None:
        print(not_a_code(arguments.school), file=sys.stderr)
        return 1
    selection = Selection(school=code, unassigned=arguments.unassigned)
    try:
        with database(settings) as engine:
            return _export(engine, selection, form, output, settings)
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1


def _output_problem(output: Path | None, form: str) -> str | None:
    """Say why the export cannot go where it is asked to, before any work is done."""
    if form == "xlsx" and output is None:
        return "An XLSX export needs --output FILE.xlsx."
    if output is not None and output.is_dir():
        return f"{output} is a folder: give a file name, such as {output / 'export'}.{form}."
    return None


def _export(
    engine: Engine, selection: Selection, form: str, output: Path | None, settings: Settings
) -> int:
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
        write = _writer(session, selection, form, _current_flows(settings), settings)
        try:
            count = _deliver(write, output)
        except OSError as error:
            if output is None and isinstance(error, BrokenPipeError):
                raise  # `| head` had what it wanted: bot.cli ends quietly, as for any command
            reason = error.strerror or str(error)
            if output is None:
                print(f"Cannot write to standard output: {reason}.", file=sys.stderr)
            else:
                print(f"Cannot write {output}: {reason}; nothing was exported.", file=sys.stderr)
            return 1
    where = output.resolve() if output else "standard output"
    print(f"Exported {count} response{'s' if count != 1 else ''} to {where}.", file=sys.stderr)
    return 0


def _writer(
    session: Session,
    selection: Selection,
    form: str,
    flows: Mapping[str, Flow],
    settings: Settings,
) -> Write:
    """Return what writes the selected responses in one format."""
    from bot.exports import (
        FIXED_COLUMNS,
        PeopleTable,
        answer_columns,
        raw_cells,
        raw_record,
        response_rows,
        write_excel_csv,
        write_json,
        write_raw_csv,
        write_xlsx,
    )
    from bot.i18n.localizer import Localizers

    orders = {flow.id: [step.id for step in flow.steps if step.answered] for flow in flows.values()}
    steps = answer_columns(session, selection, orders)
    rows = response_rows(session, selection)
    if form == "csv-raw":
        header = [*FIXED_COLUMNS, *steps]
        return _as_text(lambda to: write_raw_csv(header, (raw_cells(r, steps) for r in rows), to))
    if form == "json":
        return _as_text(lambda to: write_json((raw_record(r, steps) for r in rows), to))
    # The people's table: the flows are written in Dutch, the catalog has the rest.
    table = PeopleTable(flows, Localizers(settings.locales_dir).get("nl"))
    titles = table.header(steps)
    cells = (table.cells(row, steps) for row in rows)
    if form == "xlsx":
        return lambda to: write_xlsx(titles, cells, to)
    return _as_text(lambda to: write_excel_csv(titles, cells, to))


def _as_text(write: Callable[[TextIO], int]) -> Write:
    """Let a writer of text write UTF-8 to a byte stream, whatever the terminal's encoding."""

    def write_bytes(target: BinaryIO) -> int:
        stream = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
        try:
            return write(stream)
        finally:
            stream.flush()
            # Hand the stream back (standard output stays open) instead of closing it.
            stream.detach()

    return write_bytes


def _deliver(write: Write, output: Path | None) -> int:
    """Write to standard output, or to a file that appears only once it is complete."""
    import os
    import tempfile

    if output is None:
        sys.stdout.flush()
        count = write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return count
    output.parent.mkdir(parents=True, exist_ok=True)
    # Beside the target, so that the rename is atomic; readable by its owner only, as the
    # answers are personal data. A failed export leaves an earlier file as it was.
    handle, name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as target:
            count = write(target)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _current_flows(settings: Settings) -> dict[str, Flow]:
    """Return the current flows by id; none when they cannot load (columns then sort by id)."""
    from bot.system.bootstrap import load_flow_set

    return load_flow_set(settings).flows
