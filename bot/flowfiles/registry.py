"""The flows in use: the last good version of each file, and every version a session started on."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.engine.flow import Flow
from bot.flowfiles.checker import check_folder, not_loaded
from bot.flowfiles.problems import Problem
from bot.flowfiles.stored import StoredFlowError, dump, load
from bot.storage.repositories.flows import FlowRevision
from bot.storage.unit import Transactions, UnitOfWork

log = logging.getLogger(__name__)


class FlowRegistry:
    """Serves flows by id (for new sessions) and by revision (for sessions under way)."""

    def __init__(self, transactions: Transactions, flows_dir: Path, locales_dir: Path) -> None:
        # Only reload writes through it, in a transaction of its own; reading a revision
        # during an update goes through the caller's unit of work, never a new connection.
        self._transactions = transactions
        self._flows_dir = flows_dir
        # The translations are part of the check: a flow goes live only in full.
        self._locales_dir = locales_dir
        self._current: dict[str, Flow] = {}
        self._revisions: dict[str, Flow] = {}
        self._lock = threading.Lock()

    def reload(self) -> list[Problem]:
        """Read the flow files again; a file with errors is refused and its last good version kept.

        Returns the problems, so coordinators can be told what was refused and why.
        """
        # The same check as `ouderbrug flows check`: one definition of a usable flow.
        checked = check_folder(self._flows_dir, self._locales_dir)
        problems = list(checked.problems)
        fresh: dict[str, Flow] = {}
        for path, result in checked.files.items():
            flow = result.flow
            if flow is None:
                continue
            try:
                # The bytes that were checked, so the revision is the hash of exactly them.
                self._remember(flow, result.source.decode("utf-8"))
            except Exception as error:
                # One file must never stop the others, nor the folder watcher.
                log.exception("flow file %s could not be stored", path)
                problems.append(not_loaded(path, error))
                continue
            fresh[flow.id] = flow
        with self._lock:
            # A refused file keeps serving its last good version, so parents are never stranded.
            self._current = {**self._current, **fresh}
        log.info("flows loaded: %s", ", ".join(f"{f.id}@{f.revision}" for f in fresh.values()))
        return problems

    def all(self) -> list[Flow]:
        """Return the flows new sessions start on, by id."""
        return [self._current[k] for k in sorted(self._current)]

    def current(self, flow_id: str) -> Flow | None:
        """Return the flow new sessions of this id start on."""
        return self._current.get(flow_id)

    def revision(self, revision: str, uow: UnitOfWork) -> Flow | None:
        """Return the exact flow a session started on, from memory or as stored.

        Reads on the caller's open transaction: on SQLite a second connection would wait
        for the write lock the caller itself holds. The stored definition is read, never
        the source, so a parent's update does not run the YAML loader.
        """
        flow = self._revisions.get(revision)
        if flow is not None:
            return flow
        flow = stored_revision(uow, revision)
        if flow is None:
            return None
        with self._lock:
            self._revisions[revision] = flow
        return flow

    def _remember(self, flow: Flow, source: str) -> None:
        with self._lock:
            self._revisions[flow.revision] = flow
        stored = FlowRevision(flow.revision, flow.id, flow.version, source, dump(flow))
        # Its own transaction, outside any update: a revision is stored once it is loaded.
        with self._transactions.begin() as uow:
            uow.flows.add(stored)


def stored_revision(uow: UnitOfWork, revision: str) -> Flow | None:
    """Return the flow revision as stored, None when it is not stored or cannot be read."""
    stored = uow.flows.get(revision)
    if stored is None:
        return None
    if stored.definition is None:
        log.warning("flow revision %s is stored without a usable definition", revision)
        return None
    try:
        return load(stored.definition)
    except StoredFlowError:
        log.exception("flow revision %s cannot be read", revision)
        return None
