"""Urgent alerts, follow-up buttons, reminders, /stop, retention and blocked staff chats."""

from __future__ import annotations

from datetime import UTC, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.service.incoming import ButtonPressed
from bot.service.reminders import Reminders
from bot.service.retention import RetentionRules, erase_expired
from bot.storage.models import (
    MailMessage,
    OutboxMessage,
    ParentSession,
    Response,
    School,
    Staff,
)
from tests.fakes.clock import amsterdam
from tests.integration.digest_world import (
    COORDINATOR,
    STAFF_A,
    STAFF_B,
    DigestWorld,
    build_digest_world,
)
from tests.integration.test_desk import join


def test_an_urgent_request_reaches_the_staff_at_once_in_the_same_transaction(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.staff_joins(STAFF_B, 1)  # another school: hears nothing
    with sessions.begin() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        school.digest_emails = ["ib@regenboog.example"]
    world.urgent_family(501)
    [alert] = [t for t in world.outbox_texts(STAFF_A) if t.startswith("Dringend")]
    assert "+31 6 12345678" in alert
    assert not any(t.startswith("Dringend") for t in world.outbox_texts(STAFF_B))
    with sessions() as db:
        mail = db.scalars(select(MailMessage)).one()
    assert mail.subject == "Dringend: ouder wil gebeld worden (De Regenboog)"


def test_an_urgent_request_for_a_school_without_staff_is_told_to_the_coordinators(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions, mail=False)
    world.urgent_family(501)
    [notice] = world.outbox_texts(COORDINATOR)
    assert "16AH00" in notice
    assert "12345678" not in notice


def press(world: DigestWorld, user_id: int, data: str) -> list[str]:
    replies = world.world.act(user_id, ButtonPressed(data, 7, f"cb-{user_id}"))
    return [r.text for r in replies if r.action == "answer_callback"]


def test_follow_up_is_stored_with_who_and_when_and_refused_to_other_schools(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.staff_joins(STAFF_B, 1)
    world.calm_family(501)
    made = world.digests.send_now("16AH00")
    assert made is not None
    [[contacted, helped]] = made.queued[0].reply.buttons
    assert press(world, STAFF_B, helped.data) == [
        "Dit gezin hoort niet bij uw school. Er is niets veranderd."
    ]
    with sessions() as db:
        assert db.scalars(select(Response.followup_status)).one() == "open"
    assert press(world, STAFF_A, contacted.data) == ["Genoteerd: contact gehad."]
    world.clock.advance(hours=2)
    assert press(world, STAFF_A, helped.data) == ["Genoteerd: geholpen."]
    assert press(world, STAFF_A, contacted.data) == ["Dit gezin staat al op 'geholpen'."]
    with sessions() as db:
        response = db.scalars(select(Response)).one()
        member = db.scalars(select(Staff).where(Staff.telegram_user_id == STAFF_A)).one()
    assert response.followup_status == "helped"
    assert response.followup_staff_id == member.id
    assert response.followup_at is not None
    edited = [r for r in world.world.sent[STAFF_A] if r.action == "edit_markup"][-1]
    assert edited.buttons[0][1].text == "✓ 1: geholpen"


def test_a_press_for_an_erased_family_gets_a_polite_answer(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    made = world.digests.send_now("16AH00")
    assert made is not None
    world.world.say(501, "/delete")
    world.world.press(501, "Ja, wis alles")
    assert press(world, STAFF_A, made.queued[0].reply.buttons[0][1].data) == [
        "Dit gezin staat niet meer in Ouderbrug: de gegevens zijn gewist."
    ]


def test_one_reminder_after_a_day_by_day_only_and_never_after_stop(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    join(world.world, 501, "16AH00")  # started, then stopped answering
    join(world.world, 502, "16AH00")
    world.world.say(502, "/stop")
    assert "geen herinneringen meer" in world.world.last_text(502)
    with sessions.begin() as db:
        db.execute(
            update(ParentSession).values(updated_at=amsterdam(2026, 12, 7, 21, 0).astimezone(UTC))
        )
    reminders = Reminders(sessions, world.localizers, world.clock, timedelta(hours=24))
    world.clock.set(amsterdam(2026, 12, 8, 20, 30))
    assert reminders.run() == []  # not a day yet
    world.clock.set(amsterdam(2026, 12, 8, 22, 0))
    assert reminders.run() == []  # a day, but night
    world.clock.set(amsterdam(2026, 12, 9, 8, 0))
    [reminder] = reminders.run()
    assert reminder.chat_id == 501
    assert "Typ /start om verder te gaan" in reminder.reply.text
    world.clock.advance(days=2)
    assert reminders.run() == []  # one reminder only


def test_reminders_come_in_the_parents_language(sessions: sessionmaker[Session]) -> None:
    world = build_digest_world(sessions)
    world.world.say(503, "/start 16AH00")
    world.world.press(503, "العربية")
    with sessions.begin() as db:
        db.execute(
            update(ParentSession).values(updated_at=amsterdam(2026, 12, 5, 12, 0).astimezone(UTC))
        )
    [reminder] = Reminders(sessions, world.localizers, world.clock, timedelta(hours=24)).run()
    assert "/stop" in reminder.reply.text
    assert "لم تنتهوا" in reminder.reply.text


def test_families_helped_long_ago_are_erased_and_only_counts_are_logged(
    sessions: sessionmaker[Session], caplog: object
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    world.calm_family(502)
    made = world.digests.send_now("16AH00")
    assert made is not None
    press(world, STAFF_A, made.queued[0].reply.buttons[0][1].data)  # family 1 helped
    with sessions.begin() as db:
        # Rows take the system's time when written: date them by the test's clock.
        now = world.clock.now()
        db.execute(update(OutboxMessage).values(created_at=now, sent_at=now))
    rules = RetentionRules(helped_days=90, message_days=90)
    world.clock.advance(days=89)
    assert erase_expired(sessions, world.clock, rules).families == 0
    world.clock.advance(days=2)
    erased = erase_expired(sessions, world.clock, rules)
    assert erased.families == 1
    assert erased.messages > 0
    with sessions() as db:
        assert len(db.scalars(select(Response)).all()) == 1
        assert db.scalars(select(Response.followup_status)).one() == "open"


def test_a_staff_chat_that_blocked_the_bot_is_marked_and_the_coordinators_told(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    queued = world.chats.blocked(STAFF_A)
    assert [q.chat_id for q in queued] == [COORDINATOR]
    assert "16AH00" in queued[0].reply.text
    with sessions() as db:
        assert db.scalars(select(Staff.inactive_at)).one() is not None
        assert db.scalars(select(MailMessage.recipients)).one() == ["coordinator@gemeente.example"]
    world.calm_family(501)
    assert world.digests.send_now("16AH00") is None  # nobody left to receive it
    world.staff_joins(STAFF_A)  # opening the link again makes the chat active
    assert world.digests.send_now("16AH00") is not None
