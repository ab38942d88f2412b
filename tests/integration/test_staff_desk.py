"""Staff in their chat: joining, staying revoked, and /responses within Telegram's limits."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.limits import MESSAGE_LIMIT, length
from bot.schools.links import new_staff_token
from bot.storage.models import Response, School, Staff, utcnow
from tests.integration.service_world import SCHOOLS, World, build_world
from tests.integration.test_desk import join, walk_to_the_end

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


ELEVEN_UTC = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam


def families_with_long_remarks(world: World, count: int, remark: str) -> list[int]:
    """Let parents answer the whole flow at school 16AH00, each leaving a long remark."""
    for parent in range(501, 501 + count):
        join(world, parent, "16AH00")
        walk_to_the_end(world, parent)
    with world.sessions.begin() as db:
        responses = db.scalars(select(Response).order_by(Response.id)).all()
        for response in responses:
            response.answers = {**response.answers, "remarks": remark}
            response.completed_at = ELEVEN_UTC
        return [response.id for response in responses]


def test_responses_too_long_for_one_message_are_split_never_inside_a_family(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    ids = families_with_long_remarks(world, 5, "Mijn zoon heeft geen bureau. " * 40)
    joined(world, STAFF)

    messages = [r.text for r in world.say(STAFF, "/responses")]

    assert len(messages) > 1
    assert all(length(text) <= MESSAGE_LIMIT for text in messages)
    assert messages[0].startswith("De Regenboog, Utrecht: 5 nieuwste gezinnen")
    for response_id in ids:
        [holding] = [text for text in messages if f"#{response_id} · " in text]
        block = holding.split(f"#{response_id} · ", 1)[1].split("\n\n#", 1)[0]
        assert "Mijn zoon heeft geen bureau. " * 40 in block  # the whole remark, with its family


def test_responses_show_dutch_local_time_as_the_digests_do(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    [response_id] = families_with_long_remarks(world, 1, "Geen bureau.")
    joined(world, STAFF)

    [listing] = [r.text for r in world.say(STAFF, "/responses")]

    assert f"#{response_id} · 7 dec 2026, 12:00 · taal: Nederlands" in listing
