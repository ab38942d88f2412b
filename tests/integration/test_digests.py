"""Digests on a real database: on time, every family exactly once, each school its own."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import aware
from bot.storage.models import Digest, MailMessage, OutboxMessage, Response, School
from tests.fakes.clock import amsterdam
from tests.integration.digest_world import STAFF_A, STAFF_B, DigestWorld, build_digest_world


def digests_of(sessions: sessionmaker[Session], school: str) -> list[Digest]:
    with sessions() as db:
        return list(db.scalars(select(Digest).where(Digest.school_code == school)))


def unassigned(sessions: sessionmaker[Session]) -> int:
    with sessions() as db:
        return int(
            db.scalar(
                select(func.count()).select_from(Response).where(Response.digest_id.is_(None))
            )
            or 0
        )


def digest_texts(world: DigestWorld, chat_id: int) -> list[str]:
    return [t for t in world.outbox_texts(chat_id) if t.startswith(("Ouderbrug:", "(deel"))]


def test_the_digest_goes_out_at_the_school_time_with_every_family_once(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    world.urgent_family(502)
    assert world.digests.run_due() == []  # 09:00: the first look only sets the time
    world.clock.set(amsterdam(2026, 12, 7, 15, 29))
    assert world.digests.run_due() == []
    world.clock.set(amsterdam(2026, 12, 7, 15, 30))
    queued = world.digests.run_due()
    assert [q.chat_id for q in queued] == [STAFF_A]
    text = queued[0].reply.text
    assert text.startswith("Ouderbrug: gezinnen van De Regenboog, UTRECHT")
    assert text.index("Groep 6") < text.index("Groep 4")  # the urgent family first
    assert len(queued[0].reply.buttons) == 2  # contacted / helped, per family
    assert unassigned(sessions) == 0
    world.clock.set(amsterdam(2026, 12, 7, 15, 45))
    assert world.digests.run_due() == []  # nothing twice
    [digest] = digests_of(sessions, "16AH00")
    assert digest.new_count == 2
    assert aware(digest.due_at) == amsterdam(2026, 12, 7, 15, 30)


def test_a_digest_missed_while_the_bot_was_down_goes_out_after_the_start(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.digests.run_due()  # Monday 09:00: due at 15:30
    world.calm_family(501)
    # Down from Monday noon until Tuesday 10:00: a new process, the same database.
    restarted = build_digest_world(sessions)
    restarted.clock.set(amsterdam(2026, 12, 8, 10, 0))
    queued = restarted.digests.run_due()
    assert len(queued) == 1
    with sessions() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        assert school.digest_due_at is not None
    # The next one is Tuesday 15:30 as usual; the missed one is not sent again.
    restarted.clock.set(amsterdam(2026, 12, 8, 15, 31))
    assert restarted.digests.run_due() == []
    assert len(digests_of(sessions, "16AH00")) == 1


def test_two_schedulers_at_once_make_each_digest_once(sessions: sessionmaker[Session]) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    for parent in range(510, 516):
        world.calm_family(parent)
    world.digests.run_due()
    others = [build_digest_world(sessions) for _ in range(3)]
    for desk in (world, *others):
        desk.clock.set(amsterdam(2026, 12, 7, 15, 31))
    results: list[int] = []
    start = threading.Barrier(4)

    def run(desk: DigestWorld) -> None:
        start.wait()
        results.append(len(desk.digests.run_due()))

    threads = [threading.Thread(target=run, args=(desk,)) for desk in (world, *others)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 0, 0, 1]
    [digest] = digests_of(sessions, "16AH00")
    with sessions() as db:
        assigned = db.scalars(select(Response.digest_id)).all()
    assert assigned == [digest.id] * 6


def test_families_wait_while_nobody_of_the_school_receives_digests(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions, mail=False)
    world.digests.run_due()
    world.calm_family(501)
    world.clock.set(amsterdam(2026, 12, 7, 15, 31))
    assert world.digests.run_due() == []
    assert unassigned(sessions) == 1
    world.staff_joins(STAFF_A)
    world.clock.set(amsterdam(2026, 12, 8, 15, 31))
    assert len(world.digests.run_due()) == 1
    assert unassigned(sessions) == 0


def test_staff_of_one_school_never_see_another_schools_families(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A, 0)
    world.staff_joins(STAFF_B, 1)
    world.calm_family(501, "16AH00")
    world.calm_family(502, "17BX01")
    world.digests.run_due()
    world.clock.set(amsterdam(2026, 12, 7, 15, 31))
    queued = world.digests.run_due()
    by_chat = {q.chat_id: q.reply.text for q in queued}
    assert "De Regenboog" in by_chat[STAFF_A]
    assert "Het Anker" not in by_chat[STAFF_A]
    assert "Het Anker" in by_chat[STAFF_B]
    assert "De Regenboog" not in by_chat[STAFF_B]
    # Staff reach a family through the bot; no parent's account is in any digest.
    assert "via Ouderbrug in Telegram" in by_chat[STAFF_A]
    assert not any("tg://" in q.reply.text or "501" in q.reply.text for q in queued)


def test_the_email_with_its_csv_is_stored_with_the_digest(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    with sessions.begin() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        school.digest_emails = ["ib@regenboog.example"]
    world.calm_family(501)
    made = world.digests.send_now("16AH00")
    assert made is not None
    assert made.mails == 1
    assert made.queued == []
    with sessions() as db:
        mail = db.scalars(select(MailMessage).where(MailMessage.digest_id.is_not(None))).one()
    assert mail.recipients == ["ib@regenboog.example"]
    assert mail.subject.startswith("Ouderbrug-overzicht De Regenboog")
    assert mail.attachment is not None
    assert "Groep 4" in mail.attachment


def test_preview_shows_the_next_digest_and_changes_nothing(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    with sessions() as db:
        before = db.scalar(select(func.count()).select_from(OutboxMessage))
    text = world.digests.preview("16AH00")
    assert "Gezin 1 · Groep 4" in text
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(OutboxMessage)) == before
    assert unassigned(sessions) == 1
    assert digests_of(sessions, "16AH00") == []


def test_a_family_still_open_after_a_week_is_listed_again_once_a_week(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    world.digests.send_now("16AH00")
    world.clock.advance(days=6)
    assert world.digests.send_now("16AH00") is None  # not yet a week
    world.clock.advance(days=1, minutes=1)
    again = world.digests.send_now("16AH00")
    assert again is not None
    assert (again.new_count, again.open_count) == (0, 1)
    assert "Nog open van eerdere overzichten" in again.queued[0].reply.text
    world.clock.advance(days=1)
    assert world.digests.send_now("16AH00") is None
