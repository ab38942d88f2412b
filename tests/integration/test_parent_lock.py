"""One parent's updates in two transactions at once: the second sees what the first stored."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.engine.state import SessionState
from bot.storage.models import FlowVersion, Parent, ParentSession
from bot.storage.repositories.parents import SqlParents

USER = 4711


def a_parent_in_a_flow(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as db:
        db.add(FlowVersion(revision="r1", flow_id="thuissituatie", version=1, source=""))
        parent = Parent(telegram_user_id=USER, chat_id=USER)
        db.add(parent)
        db.flush()
        db.add(
            ParentSession(
                parent_id=parent.id,
                flow_id="thuissituatie",
                flow_revision="r1",
                state={"pending": []},
                status="active",
            )
        )


def test_an_update_waiting_for_the_parent_reads_the_session_the_other_one_stored(
    sessions: sessionmaker[Session],
) -> None:
    a_parent_in_a_flow(sessions)
    seen: list[dict[str, Any] | None] = []
    stored = SessionState("thuissituatie", 1, "r1", "nl", pending=("tablet",))

    def second_press() -> None:
        with sessions.begin() as db:
            _, session = SqlParents(db).for_user(USER, USER)
            seen.append(None if session is None else dict(session.state))

    with sessions.begin() as first:
        _, session = SqlParents(first).for_user(USER, USER)
        assert session is not None
        waiting = threading.Thread(target=second_press)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive(), "the second update did not wait for the parent's lock"
        SqlParents(first).save_state(session, stored)
    waiting.join(30)
    assert [SessionState.from_json(s) if s else None for s in seen] == [stored]
