"""The coordinator's digest commands: schools set, digest preview and send, followup list."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import School
from tests.conftest import CliResult
from tests.integration.digest_world import STAFF_A, build_digest_world


@pytest.fixture
def world_sessions(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    return sessions


def test_schools_set_changes_schedule_language_and_addresses(
    ouderbrug: Callable[..., CliResult], world_sessions: sessionmaker[Session]
) -> None:
    build_digest_world(world_sessions)
    result = ouderbrug(
        "schools", "set", "16AH00", "--digest-schedule", "ma-vr 16:00",
        "--digest-language", "en", "--email", "ib@regenboog.example",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "digest schedule: mon-fri 16:00" in result.out
    assert "digest language: en" in result.out
    with world_sessions() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        assert school.digest_emails == ["ib@regenboog.example"]
        assert school.digest_due_at is not None


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (("--digest-schedule", "weekdays 3pm"), "are not days"),
        (("--digest-language", "xx-nope-1"), "not a language code"),
        (("--email", "ib-at-regenboog"), "Not an e-mail address"),
    ],
)
def test_schools_set_refuses_bad_values_and_changes_nothing(
    ouderbrug: Callable[..., CliResult],
    world_sessions: sessionmaker[Session],
    arguments: tuple[str, ...],
    says: str,
) -> None:
    build_digest_world(world_sessions)
    result = ouderbrug("schools", "set", "16AH00", *arguments)
    assert result.code == 1
    assert says in result.err
    assert "Nothing changed." in result.err


def test_preview_send_and_followup_list(
    ouderbrug: Callable[..., CliResult], world_sessions: sessionmaker[Session]
) -> None:
    world = build_digest_world(world_sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    preview = ouderbrug("digest", "preview", "16AH00")
    assert preview.code == 0
    assert "Gezin 1 · Groep 4" in preview.out
    assert "not yet" in ouderbrug("followup", "list").out
    sent = ouderbrug("digest", "send", "16AH00")
    assert sent.code == 0, sent.err
    assert "1 new families" in sent.out
    assert "TELEGRAM_BOT_TOKEN is not set" in sent.out
    listing = ouderbrug("followup", "list", "--school", "16AH00")
    assert "16AH00" in listing.out
    assert "open" in listing.out
    assert "not yet" not in listing.out
    assert "Nothing to send" in ouderbrug("digest", "send", "16AH00").out
    assert ouderbrug("digest", "preview", "99ZZ99").code == 1
