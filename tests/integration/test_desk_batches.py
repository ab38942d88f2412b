"""Updates applied in one transaction: each as if alone, duplicates and failures included."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.messages.incoming import BotCommand, CommandSent, Incoming, Typed
from bot.reception.handled import Handled
from bot.storage.models import OutboxMessage, Parent, ProcessedUpdate
from tests.integration.service_world import build_world


def start(update_id: int, user_id: int, argument: str = "16AH00") -> Incoming:
    return Incoming(
        update_id=update_id,
        user_id=user_id,
        chat_id=user_id,
        language_code="nl",
        name="Ouder",
        action=CommandSent(BotCommand.START, argument),
    )


def texts(handled: Handled | Exception) -> list[str]:
    assert isinstance(handled, Handled), handled
    return [queued.reply.text for queued in handled.queued]


def count(db: Session, model: type[object]) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_a_batch_gives_each_update_what_it_would_get_alone(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    alone = [texts(world.desk.handle(start(n, 700 + n))) for n in range(1, 4)]
    together = world.desk.handle_batch([start(n, 800 + n) for n in range(11, 14)])
    assert [texts(h) for h in together] == alone
    with sessions() as db:
        assert count(db, Parent) == 6
        assert count(db, ProcessedUpdate) == 6
        assert count(db, OutboxMessage) == sum(len(t) for t in alone) * 2


def test_a_duplicate_within_a_batch_takes_effect_once(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    first, again, other = world.desk.handle_batch([start(5, 901), start(5, 901), start(6, 902)])
    assert texts(first)
    assert texts(again) == []
    assert texts(other)
    with sessions() as db:
        assert count(db, Parent) == 2
        assert count(db, ProcessedUpdate) == 2


def test_an_update_taken_before_is_a_duplicate_in_a_batch(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    world.desk.handle(start(7, 903))
    again, new = world.desk.handle_batch([start(7, 903), start(8, 904)])
    assert texts(again) == []
    assert texts(new)


def test_one_failing_update_does_not_cost_the_others(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    # A user id no BIGINT column holds: the database refuses this update halfway.
    broken = start(9, 2**70)
    before, failed, after = world.desk.handle_batch([start(10, 906), broken, start(11, 907)])
    assert texts(before)
    # It fails the same way every time: dropped, and recorded so it is never redelivered.
    assert isinstance(failed, Handled)
    assert texts(failed) == []
    assert texts(after)
    with sessions() as db:
        assert count(db, ProcessedUpdate) == 3
        assert count(db, Parent) == 2


def test_a_typed_answer_in_a_batch_is_stored(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    world.desk.handle(start(20, 908))
    typed = Incoming(
        update_id=21,
        user_id=908,
        chat_id=908,
        language_code="nl",
        name="Ouder",
        action=Typed("hallo"),
    )
    handled, other = world.desk.handle_batch([typed, start(22, 909)])
    assert isinstance(handled, Handled)
    assert isinstance(other, Handled)
    with sessions() as db:
        assert count(db, ProcessedUpdate) == 3
