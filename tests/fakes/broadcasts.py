"""Staff's broadcast drafts in memory, for the desk's use cases on the fake unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.storage.models import Broadcast, Response, utcnow


@dataclass
class FakeBroadcastDrafts:
    """Broadcasts by id; the families are counted from the unit's responses."""

    responses: Callable[[], list[Response]] = list
    stored: dict[int, Broadcast] = field(default_factory=dict)

    def get(self, broadcast_id: int) -> Broadcast | None:
        return self.stored.get(broadcast_id)

    def add(self, broadcast: Broadcast) -> Broadcast:
        broadcast.id = len(self.stored) + 1
        broadcast.created_at = utcnow()
        self.stored[broadcast.id] = broadcast
        return broadcast

    def open_draft(self, staff_id: int) -> Broadcast | None:
        drafts = [b for b in self.stored.values() if b.staff_id == staff_id]
        drafts = [b for b in drafts if b.status == "draft"]
        return max(drafts, key=lambda b: b.id, default=None)

    def close_drafts(self, staff_id: int) -> None:
        for broadcast in self.stored.values():
            if broadcast.staff_id == staff_id and broadcast.status in ("draft", "ready"):
                broadcast.status = "cancelled"

    def answers_at(self, code: str) -> list[tuple[int, str, dict[str, Any]]]:
        found = [r for r in self.responses() if r.school_code == code]
        return [(r.parent_id, r.flow_id, dict(r.answers or {})) for r in found]
