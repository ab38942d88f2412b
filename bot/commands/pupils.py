"""`ouderbrug schools import-pupils FILE`: pupils per school from DUO, for the coverage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.storage.unit import Transactions


def register_pupils(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `schools import-pupils`."""
    pupils = actions.add_parser(
        "import-pupils",
        help="set each school's pupils from DUO's pupils per school location file",
    )
    pupils.add_argument(
        "file",
        type=Path,
        help="historisch-overzicht-aantal-leerlingen-per-schoolvestiging.csv, as DUO publishes it",
    )


def import_pupils(transactions: Transactions, file: Path) -> int:
    """Read the file whole, then set the pupils of the schools already imported."""
    from bot.schools.duo.problems import DuoFormatError
    from bot.schools.duo.pupils import read_pupils

    try:
        counts = read_pupils(file)
    except (DuoFormatError, OSError) as error:
        print(error, file=sys.stderr)
        return 1
    with transactions.begin() as uow:
        known = uow.dashboard.set_pupils([(c.code, c.pupils, c.year) for c in counts])
    year = max((c.year for c in counts), default=0)
    print(
        f"Pupils of {year} set for {known} schools; {len(counts) - known} locations in the "
        "file are not among the imported schools (import them first with `schools import`)."
    )
    return 0
