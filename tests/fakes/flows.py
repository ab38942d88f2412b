"""Flow revisions kept in memory, as the fake unit of work's `flows`."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.storage.repositories.flows import FlowRevision


@dataclass
class FakeStoredFlows:
    """Flow revisions in a dict by revision; `reads` counts what the registry asked for."""

    revisions: dict[str, FlowRevision] = field(default_factory=dict)
    reads: list[str] = field(default_factory=list)

    def get(self, revision: str) -> FlowRevision | None:
        self.reads.append(revision)
        return self.revisions.get(revision)

    def add(self, revision: FlowRevision) -> None:
        # As the database's ON CONFLICT DO NOTHING: the first one stored stays.
        self.revisions.setdefault(revision.revision, revision)

    def versions(self, flow_id: str) -> list[tuple[int, str]]:
        # In the order stored, as loaded_at orders them in the database.
        return [(r.version, r.revision) for r in self.revisions.values() if r.flow_id == flow_id]
