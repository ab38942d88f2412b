"""Urgent alerts, follow-up buttons, reminders, /stop, retention and blocked staff chats."""

from __future__ import annotations

from datetime import UTC, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.background.retention import RetentionRules, erase_expired
from bot.conversations import texts as conversation_texts
from bot.digests.alerts import UrgentAlerts
from bot.limits import MESSAGE_LIMIT, length
from bot.messages.callbacks import MAX_ROW_ID
from bot.messages.incoming import ButtonPressed
from bot.messages.replies import Reply
from bot.parents.reminders import Reminders
from bot.staff.followup import GONE, NOT_YOURS
from bot.storage.models import (
    Digest,
    MailMessage,
    OutboxMessage,
    Parent,
    ParentSession,
    Response,
    School,
    Staff,
    utcnow,
)
from bot.storage.unit import SqlUnitOfWork, Transactions
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
    [[contacted, helped, write]] = made.queued[0].reply.buttons
    assert press(world, STAFF_B, helped.data) == [NOT_YOURS]
    # Another school's staff cannot write to the family either.
    assert press(world, STAFF_B, write.data) == [conversation_texts.NOT_YOURS]
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


def delivered(sessions: sessionmaker[Session]) -> None:
    """Record every queued message as sent, as the sender would have: the school has it.

    An erase recalls what is still unsent; these tests are about what staff already read.
    """
    with sessions.begin() as db:
        for model in (OutboxMessage, MailMessage):
            db.execute(update(model).where(model.sent_at.is_(None)).values(sent_at=utcnow()))


def test_a_press_for_an_erased_family_gets_a_polite_answer(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    made = world.digests.send_now("16AH00")
    assert made is not None
    delivered(sessions)
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
    reminders = Reminders(
        Transactions(sessions), world.localizers, world.clock, timedelta(hours=24)
    )
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
    [reminder] = Reminders(
        Transactions(sessions), world.localizers, world.clock, timedelta(hours=24)
    ).run()
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
    assert erase_expired(Transactions(sessions), world.clock, rules).families == 0
    world.clock.advance(days=2)
    erased = erase_expired(Transactions(sessions), world.clock, rules)
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


PARENT_A, ERASED_PARENT, REVOKED_STAFF, STRANGER = 501, 502, 603, 604


def refusal_world(sessions: sessionmaker[Session]) -> tuple[DigestWorld, dict[str, int]]:
    """A school with a family, an erased family, a digest of both, and people who may not press."""
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    world.staff_joins(REVOKED_STAFF)
    world.staff_joins(STAFF_B, 1)  # staff of the other school
    world.calm_family(PARENT_A)
    world.calm_family(ERASED_PARENT)
    made = world.digests.send_now("16AH00")
    assert made is not None
    with sessions() as db:
        ids = {
            "existing": db.scalars(
                select(Response.id).join(Parent).where(Parent.telegram_user_id == PARENT_A)
            ).one(),
            "erased": db.scalars(
                select(Response.id).join(Parent).where(Parent.telegram_user_id == ERASED_PARENT)
            ).one(),
            "digest": db.scalars(select(Digest.id)).one(),
        }
    delivered(sessions)
    world.world.say(ERASED_PARENT, "/delete")
    world.world.press(ERASED_PARENT, "Ja, wis alles")
    with sessions.begin() as db:
        db.execute(
            update(Staff).where(Staff.telegram_user_id == REVOKED_STAFF).values(revoked_at=utcnow())
        )
    return world, ids


def everything(sessions: sessionmaker[Session]) -> tuple[object, ...]:
    """What a press could have changed: follow-up state and the outbox."""
    with sessions() as db:
        families = db.execute(
            select(Response.id, Response.followup_status, Response.followup_staff_id).order_by(
                Response.id
            )
        ).all()
        outbox = db.scalar(select(func.count()).select_from(OutboxMessage))
    return tuple(families), outbox


def test_a_forged_follow_up_press_tells_nobody_whether_a_family_exists(
    sessions: sessionmaker[Session],
) -> None:
    world, ids = refusal_world(sessions)
    family_ids = {
        "existing": ids["existing"],
        "erased": ids["erased"],
        "never existed": ids["erased"] + 1000,
        "the largest id": MAX_ROW_ID,
    }
    before = everything(sessions)
    answers: dict[tuple[int, str, str, int], list[Reply]] = {}
    for sender in (STRANGER, STAFF_B, REVOKED_STAFF, PARENT_A):
        for which, family in family_ids.items():
            for status in ("c", "h"):
                for digest in (0, ids["digest"], ids["digest"] + 1000, MAX_ROW_ID):
                    data = f"fu:{status}:{family}:{digest}"
                    answers[sender, which, status, digest] = world.world.act(
                        sender, ButtonPressed(data, 7, "cb")
                    )
    assert set(map(tuple, answers.values())) == {
        (Reply("answer_callback", text=NOT_YOURS, callback_id="cb"),)
    }
    assert everything(sessions) == before


def test_forged_numbers_too_large_for_the_database_get_the_same_answer(
    sessions: sessionmaker[Session],
) -> None:
    world, _ = refusal_world(sessions)
    for sender in (STRANGER, STAFF_A):
        replies = world.world.act(sender, ButtonPressed(f"fu:h:{'9' * 40}:0", 7, "cb"))
        # Not ours to read as a follow-up: the press is answered like any unknown button.
        assert [r.action for r in replies if r.action == "edit_markup"] == []
        assert len([r for r in replies if r.action == "answer_callback"]) == 1


def test_staff_of_the_school_hear_the_family_was_erased_only_from_their_own_digest(
    sessions: sessionmaker[Session],
) -> None:
    world, ids = refusal_world(sessions)

    from_digest = press(world, STAFF_A, f"fu:h:{ids['erased']}:{ids['digest']}")
    from_alert = press(world, STAFF_A, f"fu:h:{ids['erased']}:0")

    assert from_digest == ["Dit gezin staat niet meer in Ouderbrug: de gegevens zijn gewist."]
    assert from_alert == [NOT_YOURS]  # nothing shows the family was theirs


def test_an_urgent_alert_with_very_long_remarks_reaches_the_staff_in_parts(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions, mail=False)
    world.staff_joins(STAFF_A)
    world.urgent_family(501)
    alerts = UrgentAlerts(
        world.world.registry, world.localizers, world.clock, world.chats, mail=False
    )
    remark = "Wij hebben thuis één telefoon voor vier kinderen. 😀 " * 120  # ~6,000 units
    with sessions.begin() as db:
        response = db.scalars(select(Response)).one()
        response.answers = {**response.answers, "remarks": remark}
        db.flush()
        queued = alerts.response_completed(SqlUnitOfWork(db), response.id)

    assert len(queued) > 1
    assert all(length(q.reply.text) <= MESSAGE_LIMIT for q in queued)
    assert queued[0].reply.text.startswith("Dringend: een ouder wil deze week gebeld worden.")
    assert [bool(q.reply.buttons) for q in queued] == [False] * (len(queued) - 1) + [True]


def test_a_notice_about_a_blocked_chat_of_many_schools_stays_within_the_limit(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    with sessions.begin() as db:
        for number in range(800):
            code = f"{number // 100:02d}ZZ{number % 100:02d}"
            db.add(
                School(code=code, name=f"School {number}", staff_token=f"token-{code}-{'x' * 20}")
            )
            db.add(Staff(school_code=code, telegram_user_id=STAFF_A, chat_id=STAFF_A))

    queued = world.chats.blocked(STAFF_A)

    [notice] = queued
    assert notice.chat_id == COORDINATOR
    assert length(notice.reply.text) <= MESSAGE_LIMIT
    assert "00ZZ00, 00ZZ01" in notice.reply.text
    assert "en 780 andere heeft de bot geblokkeerd" in notice.reply.text
    assert notice.reply.text.endswith("opent de personeelslink weer.")  # the advice is kept


# A second member of STAFF_A's school.
STAFF_C = 603


def test_after_an_erase_every_staff_chat_keeps_the_numbers_its_digest_shows(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions, mail=False)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    world.calm_family(502)
    world.calm_family(503)
    world.staff_joins(STAFF_C)
    made = world.digests.send_now("16AH00")
    assert made is not None
    with sessions.begin() as db:  # chat A read it; chat C's copy still waits
        db.execute(
            update(OutboxMessage).where(OutboxMessage.chat_id == STAFF_A).values(sent_at=utcnow())
        )
    with sessions() as db:
        [_, erased, last] = sorted(db.scalars(select(Response.id)))
    world.world.say(502, "/delete")
    world.world.press(502, "Ja, wis alles")
    [waiting] = world.outbox_texts(STAFF_C)[-1:]
    assert "▶ Gezin 1 ·" in waiting
    assert "▶ Gezin 3 ·" in waiting
    assert "▶ Gezin 2 ·" not in waiting  # the erased family's number is not given to another
    digest = made.queued[0].reply.buttons[0][1].data.rsplit(":", 1)[1]
    # Chat A still shows family 2: its press tells them it was erased.
    assert press(world, STAFF_A, f"fu:h:{erased}:{digest}") == [GONE]
    for staff in (STAFF_A, STAFF_C):
        press(world, staff, f"fu:c:{last}:{digest}")
        edited = [r for r in world.world.sent[staff] if r.action == "edit_markup"][-1]
        labels = [row[0].text for row in edited.buttons]
        assert labels == ["1: contact gehad", "✓ 3: contact gehad"], staff
