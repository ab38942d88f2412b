"""Broadcast copies in the database: one per family, and gone with the family."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.broadcasts.sending import Audience, Broadcasts
from bot.digests.needs import needs_of
from bot.i18n.localizer import Localizers
from bot.settings import PROJECT_DIR
from bot.storage.models import BroadcastFamily, OutboxMessage, Parent, School
from bot.storage.unit import Transactions
from tests.e2e.broadcast_world import seed_families


def broadcasts(sessions: sessionmaker[Session]) -> Broadcasts:
    localizers = Localizers(PROJECT_DIR / "locales")
    return Broadcasts(
        Transactions(sessions),
        localizers.get,
        lambda text, source, target: None,
        lambda flow, answers: needs_of(None, answers),
    )


def started(sessions: sessionmaker[Session], database_url: str) -> tuple[Broadcasts, int]:
    with sessions.begin() as db:
        db.add(School(code="16AH00", name="De Regenboog", staff_token="t" * 32))
    seed_families(database_url, "16AH00", ["nl", "tr", "ar"], first_user=300)
    use_case = broadcasts(sessions)
    plan = use_case.plan(Audience("16AH00"), "Hallo")
    return use_case, use_case.start(Audience("16AH00"), "Hallo", plan)


def test_queuing_twice_queues_nobody_twice(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    use_case, broadcast_id = started(sessions, database_url)
    plan = use_case.plan(Audience("16AH00"), "Hallo")

    first = [item for batch in use_case.queue(broadcast_id, plan, lambda: 2) for item in batch]
    again = [item for batch in use_case.queue(broadcast_id, plan) for item in batch]

    assert len(first) == 3
    assert again == []
    assert use_case.tally(broadcast_id).queued == 3


def test_a_second_copy_for_a_family_is_refused_by_the_database(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    use_case, broadcast_id = started(sessions, database_url)
    plan = use_case.plan(Audience("16AH00"), "Hallo")
    list(use_case.queue(broadcast_id, plan))
    with sessions() as db:
        outbox_id = db.scalars(select(OutboxMessage.id)).first()
        parent_id = db.scalars(select(BroadcastFamily.parent_id)).first()
    assert outbox_id is not None
    assert parent_id is not None

    with pytest.raises(IntegrityError), sessions.begin() as db:
        db.add(
            BroadcastFamily(
                broadcast_id=broadcast_id,
                parent_id=parent_id,
                outbox_id=outbox_id,
                language="nl",
                translated=True,
            )
        )


def test_erasing_a_parent_erases_their_copy(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    from bot.storage.unit import SqlUnitOfWork

    use_case, broadcast_id = started(sessions, database_url)
    list(use_case.queue(broadcast_id, use_case.plan(Audience("16AH00"), "Hallo")))

    with sessions.begin() as db:
        parent = db.scalars(select(Parent).where(Parent.telegram_user_id == 300)).one()
        SqlUnitOfWork(db).parents.erase(parent)

    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(BroadcastFamily)) == 2
    assert use_case.tally(broadcast_id).queued == 2


def test_retention_erases_a_broadcast_and_who_got_it_with_the_old_messages(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    from datetime import timedelta

    from bot.storage.models import Broadcast, utcnow
    from bot.storage.unit import SqlUnitOfWork

    use_case, broadcast_id = started(sessions, database_url)
    list(use_case.queue(broadcast_id, use_case.plan(Audience("16AH00"), "Hallo")))

    with sessions.begin() as db:
        SqlUnitOfWork(db).expired.erase_messages(utcnow() - timedelta(days=1))
    with sessions() as db:
        assert db.get(Broadcast, broadcast_id) is not None  # younger: kept

    with sessions.begin() as db:
        SqlUnitOfWork(db).expired.erase_messages(utcnow() + timedelta(seconds=1))
    with sessions() as db:
        assert db.get(Broadcast, broadcast_id) is None
        assert db.scalar(select(func.count()).select_from(BroadcastFamily)) == 0
