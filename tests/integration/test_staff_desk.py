"""Staff in their chat: joining, staying revoked, and /responses within Telegram's limits."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.schools.links import new_staff_token
from bot.storage.models import School, Staff, utcnow
from tests.integration.service_world import SCHOOLS, World, build_world

STAFF, OTHER = 601, 602
TOKEN = SCHOOLS[0][3]


def revoke(sessions: sessionmaker[Session], user_id: int) -> None:
    """Do what `ouderbrug staff revoke` does to the member."""
    with sessions.begin() as db:
        db.execute(
            update(Staff).where(Staff.telegram_user_id == user_id).values(revoked_at=utcnow())
        )


def member(sessions: sessionmaker[Session], user_id: int) -> Staff:
    with sessions() as db:
        return db.scalars(select(Staff).where(Staff.telegram_user_id == user_id)).one()


def joined(world: World, user_id: int, token: str = TOKEN) -> str:
    world.say(user_id, f"/start staff-{token}")
    return world.last_text(user_id)


def test_a_revoked_member_who_opens_the_link_again_is_refused_and_stays_revoked(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    assert joined(world, STAFF).startswith("Welkom!")
    revoke(sessions, STAFF)
    revoked_at = member(sessions, STAFF).revoked_at

    answer = joined(world, STAFF)

    assert answer == (
        "U ontvangt de antwoorden van deze school niet meer. Klopt dat niet? "
        "Vraag het de coördinator."
    )
    assert member(sessions, STAFF).revoked_at == revoked_at
    world.say(STAFF, "/responses")
    assert world.last_text(STAFF).startswith("Kies uw taal.")  # as for any newcomer


def test_a_new_staff_link_does_not_reinstate_a_revoked_member(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    joined(world, STAFF)
    revoke(sessions, STAFF)
    fresh = new_staff_token()
    with sessions.begin() as db:
        db.execute(update(School).where(School.code == "16AH00").values(staff_token=fresh))

    assert "niet (meer) geldig" in joined(world, STAFF)  # the old link
    assert "niet meer" in joined(world, STAFF, fresh)  # the new one
    assert member(sessions, STAFF).revoked_at is not None
    assert joined(world, OTHER, fresh).startswith("Welkom!")  # others still join by it


def test_a_member_revoked_at_one_school_may_join_another(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    joined(world, STAFF)
    revoke(sessions, STAFF)

    assert joined(world, STAFF, SCHOOLS[1][3]).startswith("Welkom!")
    with sessions() as db:
        memberships = {
            m.school_code: m.revoked_at is None
            for m in db.scalars(select(Staff).where(Staff.telegram_user_id == STAFF))
        }
    assert memberships == {"16AH00": False, "17BX01": True}
