"""`ouderbrug export`: every response as a table, one row per child, for people or analysts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.coordinators.export import Write
    from bot.engine.flow import Flow
    from bot.exports import Selection
    from bot.storage.unit import Transactions

NAME = "export"
# csv and xlsx for people (Dutch Excel); csv-raw and json keep choice keys for analysts.
FORMATS = ("csv", "xlsx", "csv-raw", "json")
# The format an output file's name asks for when --format is not given.
_BY_SUFFIX = {".xlsx": "xlsx", ".json": "json"}


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
    from bot.commands.schools import not_a_code
    from bot.commands.storage import command_transactions
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
        with command_transactions(settings, reading=True) as transactions:
            return _export(transactions, selection, form, output, settings)
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
    transactions: Transactions,
    selection: Selection,
    form: str,
    output: Path | None,
    settings: Settings,
) -> int:
    """Write the selected responses where asked; say how many went, on standard error."""
    from bot.coordinators.export import FOR_PEOPLE, export_writer, missing_school
    from bot.i18n.localizer import Localizers

    # Both passes (columns, then rows) read in one transaction, as one snapshot.
    with transactions.read() as uow:
        if missing_school(uow, selection):
            print(f"There is no school with code {selection.school!r}.", file=sys.stderr)
            return 1
        flows = _current_flows(settings)
        dutch = Localizers(settings.locales_dir).get("nl") if form in FOR_PEOPLE else None
        write = export_writer(uow, selection, form, flows, dutch)
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
