"""Flow revisions as stored, so that a session can finish on the one it started on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.models import FlowVersion


@dataclass(frozen=True, slots=True)
class FlowRevision:
    """One revision of a flow file: its source and the parsed definition the bot reads."""

    revision: str
    flow_id: str
    version: int
    source: str
    # The definition as bot.flowfiles.stored writes it; None when the source that was
    # stored before definitions were kept no longer parses: the revision cannot be used.
    definition: dict[str, Any] | None


class StoredFlows(Protocol):
    """Every flow revision the bot has served."""

    def get(self, revision: str) -> FlowRevision | None:
        """Return the stored revision, if there is one."""
        ...

    def add(self, revision: FlowRevision) -> None:
        """Store a revision; one already stored (by anyone) is left as it is."""
        ...

    def versions(self, flow_id: str) -> list[tuple[int, str]]:
        """Return (version, revision) of every stored revision of the flow, oldest first."""
        ...


class SqlStoredFlows:
    """Flow revisions in the flow_versions table."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def get(self, revision: str) -> FlowRevision | None:
        """Return the stored revision, if there is one."""
        row = self._db.get(FlowVersion, revision)
        if row is None:
            return None
        return FlowRevision(row.revision, row.flow_id, row.version, row.source, row.definition)

    def versions(self, flow_id: str) -> list[tuple[int, str]]:
        """Return (version, revision) of every stored revision of the flow, oldest first."""
        rows = self._db.execute(
            select(FlowVersion.version, FlowVersion.revision)
            .where(FlowVersion.flow_id == flow_id)
            .order_by(FlowVersion.loaded_at, FlowVersion.revision)
        )
        return [(version, revision) for version, revision in rows]

    def add(self, revision: FlowRevision) -> None:
        """Store a revision unless it is there; two processes storing it at once both succeed."""
        values = {
            "revision": revision.revision,
            "flow_id": revision.flow_id,
            "version": revision.version,
            "source": revision.source,
            "definition": revision.definition,
        }
        dialect = self._db.get_bind().dialect.name
        # The same bytes give the same revision, so the row already there is this one.
        if dialect == "postgresql":
            self._db.execute(postgresql.insert(FlowVersion).values(values).on_conflict_do_nothing())
        elif dialect == "sqlite":
            self._db.execute(sqlite.insert(FlowVersion).values(values).on_conflict_do_nothing())
        elif self._db.get(FlowVersion, revision.revision) is None:
            self._db.execute(insert(FlowVersion).values(values))
