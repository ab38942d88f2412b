"""Families who finished the questions, written straight into the database for broadcasts."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.storage.db import make_engine, session_factory
from bot.storage.models import FlowVersion, Parent, ParentSession, Response

REVISION = "broadcast-test-revision"
# A family with every need the default flow can show, and one with none.
NEEDY: dict[str, Any] = {
    "devices": ["none"],
    "internet": "mobile_only",
    "help_at_home": "no",
    "help_wanted": ["device_loan", "own_language"],
}
FINE: dict[str, Any] = {"devices": ["computer"], "internet": "good", "help_at_home": "yes"}


@dataclass(frozen=True, slots=True)
class Family:
    """A seeded family: its Telegram user (the chat too), school and language."""

    user_id: int
    school: str
    language: str


def seed_families(
    database_url: str,
    school: str,
    languages: list[str],
    *,
    first_user: int,
    answers: dict[str, Any] | None = None,
) -> list[Family]:
    """Store one finished response per language given, each by its own parent."""
    engine = make_engine(database_url)
    families = []
    try:
        with session_factory(engine).begin() as db:
            if db.get(FlowVersion, REVISION) is None:
                db.add(
                    FlowVersion(revision=REVISION, flow_id="thuissituatie", version=1, source="")
                )
                db.flush()
            for number, language in enumerate(languages):
                user_id = first_user + number
                parent = Parent(telegram_user_id=user_id, chat_id=user_id, language=language)
                db.add(parent)
                db.flush()
                session = ParentSession(
                    parent_id=parent.id,
                    flow_id="thuissituatie",
                    flow_revision=REVISION,
                    state={},
                    status="completed",
                )
                db.add(session)
                db.flush()
                db.add(
                    Response(
                        parent_id=parent.id,
                        session_id=session.id,
                        school_code=school,
                        flow_id="thuissituatie",
                        flow_revision=REVISION,
                        flow_version=1,
                        language=language,
                        answers=dict(answers if answers is not None else NEEDY),
                    )
                )
                families.append(Family(user_id, school, language))
    finally:
        engine.dispose()
    return families


def parent_ids(database_url: str) -> dict[int, int]:
    """Return each parent's id by Telegram user id."""
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            rows = db.execute(select(Parent.telegram_user_id, Parent.id)).all()
            return {user: parent for user, parent in rows}
    finally:
        engine.dispose()


def broadcast_command(
    environment: dict[str, str], text_file: Path, *options: str
) -> subprocess.Popen[bytes]:
    """Start `ouderbrug broadcast --text-file F OPTIONS` as a real process."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "broadcast", "--text-file", str(text_file), *options],
        env={**os.environ, **environment},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
