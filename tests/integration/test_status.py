"""/status shows what is stored: each child's answers, in the parent's language, in Dutch time."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Response
from tests.integration.service_world import World, build_world
from tests.integration.test_desk import join, walk_to_the_end

PARENT = 501


def status(world: World) -> str:
    """Send /status; return what it shows, above the offer to change the answers."""
    replies = world.say(PARENT, "/status")
    shown = [r.text for r in replies if r.action == "send"]
    assert len(shown) == 2, shown  # what is stored, then one button per child to change it
    return shown[0]


def test_status_lists_each_childs_answers_in_the_parents_language(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    join(world, PARENT, "16AH00")
    walk_to_the_end(world, PARENT)
    shown = status(world)
    assert "Kind 1: De Regenboog" in shown
    assert "• Groep of klas: Groep 6" in shown
    assert "Mijn zoon heeft geen bureau." in shown  # the parent's own words, as stored
    assert "12345678" in shown
    world.say(PARENT, "/language")
    world.press(PARENT, "Türkçe")
    shown = status(world)
    assert "• Sınıf: Grup 6 (groep 6)" in shown


def test_status_shows_when_in_dutch_time_not_utc(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    join(world, PARENT, "16AH00")
    walk_to_the_end(world, PARENT)
    with sessions.begin() as db:  # 12:00 UTC on a summer day is 14:00 in Amsterdam
        db.execute(update(Response).values(completed_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC)))
    shown = status(world)
    assert "14:00" in shown
    assert "12:00" not in shown


def test_status_while_answering_says_how_far(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    join(world, PARENT, "16AH00")
    world.say(PARENT, "/status")
    assert "vraag 2 van 12" in world.last_text(PARENT)
