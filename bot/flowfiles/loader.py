"""Turn flow YAML files into flows, with every problem named by file, line and step."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from bot.engine.flow import Flow
from bot.flowfiles.document import read_flow
from bot.flowfiles.positions import START, Positions
from bot.flowfiles.problems import Code, Problem, Reporter
from bot.flowfiles.yamltree import compose, read_file

# Enough to tell revisions apart; short enough to read in a log line.
REVISION_LENGTH: Final = 12


@dataclass(frozen=True, slots=True)
class LoadResult:
    """One flow file read: the flow (None when it has errors), its problems and positions."""

    flow: Flow | None
    problems: list[Problem]
    positions: Positions = field(default_factory=Positions)
    # The bytes read: what the bot stores for sessions is exactly what was checked.
    source: bytes = b""


@dataclass(frozen=True, slots=True)
class FlowSet:
    """All flow files of a folder: each file's result and the flows that can be used."""

    files: Mapping[Path, LoadResult]
    problems: list[Problem]

    @property
    def flows(self) -> dict[str, Flow]:
        """Return the usable flows by id."""
        return {r.flow.id: r.flow for r in self.files.values() if r.flow is not None}


def load_flow(path: Path) -> LoadResult:
    """Read one flow file; never raises, whatever the file holds."""
    report = Reporter(str(path))
    data = read_file(path, report)
    if data is None:
        return LoadResult(None, report.problems)
    return parse_flow(data, str(path))


def parse_flow(data: bytes, file: str) -> LoadResult:
    """Read a flow from a file's bytes, naming `file` in problems."""
    report = Reporter(file)
    positions = Positions()
    root = compose(data, report)
    if root is None:
        return LoadResult(None, report.problems, positions)
    revision = hashlib.sha256(data).hexdigest()[:REVISION_LENGTH]
    flow = read_flow(root, revision, report, positions)
    return LoadResult(None if report.failed else flow, report.problems, positions, data)


def load_flows(directory: Path) -> FlowSet:
    """Read every *.yaml flow file in a folder, in name order."""
    paths, problems = flow_files(directory)
    flows = load_files(paths)
    return FlowSet(flows.files, problems + flows.problems)


def flow_files(directory: Path) -> tuple[list[Path], list[Problem]]:
    """Return a folder's flow files in name order, with problems about the folder itself."""
    report = Reporter(str(directory))
    if not directory.is_dir():
        report.error(START, None, Code.UNREADABLE, "this folder does not exist")
        return [], report.problems
    paths = sorted(p for p in directory.glob("*.yaml") if p.is_file())
    if not paths:
        report.error(START, None, Code.NO_FLOWS, "this folder holds no flow files (*.yaml)")
    # A flow saved as .yml would silently never go live; say so.
    for stray in sorted(directory.glob("*.yml")):
        message = f"{stray.name} is not read: flow files must end in .yaml"
        report.warning(START, None, Code.NOT_A_FLOW_FILE, message)
    return paths, report.problems


def load_files(paths: Iterable[Path]) -> FlowSet:
    """Read the given flow files, refusing every file of a flow id that two files use."""
    files = {path: load_flow(path) for path in paths}
    owners: dict[str, list[Path]] = {}
    for path, result in files.items():
        if result.flow is not None:
            owners.setdefault(result.flow.id, []).append(path)
    for flow_id, shared in owners.items():
        if len(shared) > 1:
            # Serving either one would be a guess; the coordinator decides which to keep.
            for path in shared:
                files[path] = _duplicate(path, files[path], flow_id, shared)
    problems = [p for result in files.values() for p in result.problems]
    return FlowSet(files, problems)


def _duplicate(path: Path, result: LoadResult, flow_id: str, shared: list[Path]) -> LoadResult:
    report = Reporter(str(path))
    others = " and ".join(str(p) for p in shared if p != path)
    message = f"flow id '{flow_id}' is also used by {others}; give each flow its own id"
    report.error(result.positions.top("id"), None, Code.DUPLICATE_FLOW, message)
    return LoadResult(None, result.problems + report.problems, result.positions, result.source)
