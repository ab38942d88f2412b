"""The terminal preview: a flow from the folder, the engine, and the root's catalogs and schools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.engine.engine import Engine
from bot.engine.ports import SchoolDirectory
from bot.flowfiles.loader import FlowSet, load_flows
from bot.i18n.languages import offered_codes
from bot.i18n.localizer import Localizers
from bot.parents.privacy import values_from
from bot.preview.room import PreviewSchools, preview_room
from bot.preview.terminal import Preview
from bot.settings import Settings


def load_flow_set(settings: Settings) -> FlowSet:
    """Read every flow file in the flows folder."""
    return load_flows(settings.flows_dir)


def offered_languages(settings: Settings) -> set[str]:
    """Return every language that a usable flow is offered in."""
    flows = load_flow_set(settings).flows.values()
    return {code for flow in flows for code in flow.languages}


def school_directory(path: Path | None, settings: Settings) -> SchoolDirectory | None:
    """Build a school lookup from a DUO list, else from the imported schools, else None."""
    if path is None:
        return _imported_schools(settings)
    from bot.schools.directory import IndexDirectory
    from bot.schools.duo import read_duo
    from bot.schools.search import SchoolIndex

    return IndexDirectory(SchoolIndex(read_duo(path)))


def _imported_schools(settings: Settings) -> SchoolDirectory | None:
    """Return the schools `ouderbrug schools import` stored, when there is such a database."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.storage.migrate import DatabaseNotReadyError, check_current
    from bot.system.build import build_system
    from bot.system.storage import storage

    if not settings.database_url and not (settings.data_dir / "ouderbrug.sqlite3").exists():
        return None  # nothing imported yet; do not create an empty database just to look
    system = build_system(settings, storage=storage(settings, reading=True))
    try:
        with system.storage.database.connect() as connection:
            check_current(connection)
        return system.schools if system.schools.refresh() else None
    except (DatabaseNotReadyError, SQLAlchemyError):
        return None
    finally:
        system.storage.close()


def preview_chat(
    settings: Settings,
    *,
    flow_id: str | None,
    language: str | None,
    school: str | None,
    schools_file: Path | None,
    stdin: TextIO,
    stdout: TextIO,
) -> int:
    """Run the terminal preview of a flow; return the exit code."""
    flow_set = load_flow_set(settings)
    wanted = flow_id or settings.default_flow
    flow = flow_set.flows.get(wanted)
    if flow is None:
        errors = [p.format() for p in flow_set.problems if p.is_error]
        print(f"No usable flow '{wanted}' in {settings.flows_dir}.", file=sys.stderr)
        print("\n".join(errors), file=sys.stderr)
        return 2
    localizers = Localizers(settings.locales_dir, offered_codes(settings.languages))
    if language is not None and language not in set(flow.languages) & set(localizers.codes):
        offered = ", ".join(c for c in localizers.codes if c in flow.languages)
        print(f"Flow '{flow.id}' is offered in: {offered}; not in '{language}'.", file=sys.stderr)
        return 2
    try:
        directory = school_directory(schools_file or settings.schools_file, settings)
    except OSError as error:
        where = error.filename or schools_file or settings.schools_file
        print(f"Cannot read the schools list {where}: {error.strerror or error}.", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"Cannot read the schools list: {error}", file=sys.stderr)
        return 2
    code = school.upper() if school else None
    engine = Engine(directory, values_from(settings))
    schools = PreviewSchools(directory)
    with preview_room(flow_set.flows, flow.id, engine, localizers, schools, code) as room:
        preview = Preview(
            room,
            stdout,
            echo=not stdin.isatty(),
            rtl=stdout.isatty() and language is not None and localizers.get(language).rtl,
            no_schools=directory is None and not school,
        )
        try:
            return preview.run(code or "", language, stdin)
        except KeyboardInterrupt:
            stdout.write("\n")
            return 130
