"""A shared contact card answers the phone question, and only that one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.state import SessionState
from bot.messages.incoming import ContactShared
from bot.storage.models import ParentSession
from tests.integration.service_world import World, build_world

PARENT = 511


def to_the_remark(world: World, user: int) -> None:
    """Arrive by a school link, in Dutch, and answer up to the free-text remark."""
    world.say(user, "/start 16AH00")
    world.press(user, "Nederlands")
    for label in ("Ja, ik doe mee", "Groep 6", "Tablet", "Klaar", "Nee", "Goed", "Ja"):
        world.press(user, label)
    world.press(user, "Overslaan")  # no help wanted
    assert current_state(world.sessions).current == "remarks"


def current_state(sessions: sessionmaker[Session]) -> SessionState:
    with sessions() as db:
        row = db.scalars(select(ParentSession).order_by(ParentSession.id.desc())).first()
        assert row is not None
        return SessionState.from_json(row.state)


def test_the_parents_own_card_at_the_remark_is_not_stored_as_the_remark(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    to_the_remark(world, PARENT)

    world.act(PARENT, ContactShared("+31612345678", own=True))

    state = current_state(sessions)
    assert state.current == "remarks"
    assert "remarks" not in state.answers
    assert "Typ uw antwoord" in world.last_text(PARENT)


def test_the_reply_to_a_card_at_the_wrong_question_is_in_the_parents_language(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    to_the_remark(world, PARENT)
    world.say(PARENT, "/language")
    world.press(PARENT, "English")

    world.act(PARENT, ContactShared("+31612345678", own=True))

    assert "Type your answer" in world.last_text(PARENT)
    assert "remarks" not in current_state(sessions).answers
