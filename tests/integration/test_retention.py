"""Retention: every kind of row that identifies a family has its end, on a clock we move."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.background.retention import Erased, RetentionRules, erase_expired
from bot.storage.models import (
    ConversationMessage,
    MailFamily,
    MailMessage,
    OutboxFamily,
    OutboxMessage,
    Parent,
    ParentSession,
    ProcessedUpdate,
    Response,
    School,
    Translation,
)
from bot.storage.unit import Transactions
from tests.fakes.clock import FakeClock, amsterdam
from tests.integration.digest_world import STAFF_A, build_digest_world
from tests.integration.test_desk import join, walk_to_the_end

RULES = RetentionRules(helped_days=90, open_days=365, session_days=30, message_days=30)
START = amsterdam(2026, 12, 7, 9, 0)


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def everything_happened_at(sessions: sessionmaker[Session], moment: datetime) -> None:
    """Date every stored row at one moment: the rows take the system's time when written."""
    with sessions.begin() as db:
        db.execute(update(Parent).values(created_at=moment))
        db.execute(update(ParentSession).values(updated_at=moment, started_at=moment))
        db.execute(update(Response).values(completed_at=moment))
        db.execute(update(OutboxMessage).values(created_at=moment, sent_at=moment))
        db.execute(update(MailMessage).values(created_at=moment))
        db.execute(update(ProcessedUpdate).values(processed_at=moment))


def add_translation(sessions: sessionmaker[Session]) -> None:
    """Store a translation of the parent's remark, as the translator does for Arabic."""
    with sessions.begin() as db:
        session_id = db.scalars(select(ParentSession.id)).first()
        assert session_id is not None
        db.add(
            Translation(
                session_id=session_id,
                step_id="remarks",
                source_language="ar",
                target_language="nl",
                source_hash="0" * 64,
                text="Mijn zoon heeft geen bureau.",
                status="done",
            )
        )


def erase_on(sessions: sessionmaker[Session], clock: FakeClock, days: float) -> Erased:
    clock.set(START + timedelta(days=days))
    return erase_expired(Transactions(sessions), clock, RULES)


def test_a_family_helped_is_erased_ninety_days_after_helped_with_session_and_translation(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    join(world.world, 501, "16AH00")
    walk_to_the_end(world.world, 501)
    add_translation(sessions)
    everything_happened_at(sessions, START)
    with sessions.begin() as db:
        db.execute(update(Response).values(followup_status="helped", followup_at=START))
    clock = world.clock
    # Its messages are kept only as long as messages are: look at the family alone here.
    assert erase_on(sessions, clock, 89).families == 0
    assert count(sessions, Response) == 1
    assert erase_on(sessions, clock, 91).families == 1
    for model in (Response, ParentSession, Translation, Parent):
        assert count(sessions, model) == 0, model


def test_a_family_never_helped_is_erased_a_year_after_it_answered_at_a_listed_school_or_not(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    join(world.world, 501, "16AH00")
    walk_to_the_end(world.world, 501)
    join(world.world, 502, "16AH00")
    walk_to_the_end(world.world, 502)
    everything_happened_at(sessions, START)
    with sessions.begin() as db:  # one family's school was not in the list
        db.execute(update(Response).where(Response.id == 2).values(school_code=None))
    assert erase_on(sessions, world.clock, 364).families == 0
    assert count(sessions, Response) == 2
    erased = erase_on(sessions, world.clock, 366)
    assert erased.families == 2
    assert count(sessions, Response) == 0
    assert count(sessions, ParentSession) == 0


def test_an_abandoned_session_goes_with_its_partial_answers_and_then_the_empty_parent(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    join(world.world, 501, "16AH00")
    world.world.press(501, "Groep 6")  # and then nothing more
    world.world.say(502, "/start")  # picks no language, answers nothing
    everything_happened_at(sessions, START)
    assert erase_on(sessions, world.clock, 29) == Erased(0, 0, 0, 0)
    add_translation(sessions)
    erased = erase_on(sessions, world.clock, 31)
    assert erased.sessions == 1
    assert erased.parents == 2
    assert count(sessions, Translation) == 0
    assert count(sessions, ParentSession) == 0
    assert count(sessions, Parent) == 0


def test_a_parent_who_still_answers_keeps_everything(sessions: sessionmaker[Session]) -> None:
    world = build_digest_world(sessions)
    join(world.world, 501, "16AH00")
    everything_happened_at(sessions, START)
    add_translation(sessions)
    world.clock.set(START + timedelta(days=40))
    with sessions.begin() as db:  # an answer today
        db.execute(update(ParentSession).values(updated_at=world.clock.now()))
    assert erase_expired(Transactions(sessions), world.clock, RULES).sessions == 0
    assert count(sessions, Parent) == 1
    assert count(sessions, Translation) == 1


def test_staff_messages_e_mails_and_update_records_go_a_month_after_they_were_made(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.staff_joins(STAFF_A)
    with sessions.begin() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        school.digest_emails = ["ib@regenboog.example"]
    world.urgent_family(501)  # an alert to the staff, in Telegram and by e-mail
    with sessions.begin() as db:
        db.execute(update(Response).values(followup_status="contacted"))
    assert count(sessions, OutboxFamily) > 0
    assert count(sessions, MailFamily) == 1
    world.calm_family(502, "16AH00")
    assert world.digests.send_now("16AH00") is not None
    everything_happened_at(sessions, START)
    with sessions.begin() as db:  # one of the messages never went out
        db.execute(update(OutboxMessage).where(OutboxMessage.id == 1).values(sent_at=None))
    assert erase_on(sessions, world.clock, 29).messages == 0
    erased = erase_on(sessions, world.clock, 31)
    assert erased.messages > 0
    assert erased.families == 0  # the families themselves have their own, longer end
    for model in (OutboxMessage, OutboxFamily, MailMessage, MailFamily, ProcessedUpdate):
        assert count(sessions, model) == 0, model
    assert count(sessions, Response) == 2


def test_a_conversation_goes_a_month_after_each_message_was_written(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.calm_family(503, "16AH00")
    with sessions.begin() as db:
        response = db.scalars(select(Response)).one()
        for days, text in ((0, "Wij bellen u."), (5, "Dank u.")):
            db.add(
                ConversationMessage(
                    parent_id=response.parent_id,
                    school_code="16AH00",
                    response_id=response.id,
                    author="staff",
                    text=text,
                    language="nl",
                    state="delivered",
                    created_at=START + timedelta(days=days),
                )
            )
    erase_on(sessions, world.clock, 29)
    assert count(sessions, ConversationMessage) == 2
    erase_on(sessions, world.clock, 31)
    with sessions() as db:
        assert list(db.scalars(select(ConversationMessage.text))) == ["Dank u."]
    erase_on(sessions, world.clock, 36)
    assert count(sessions, ConversationMessage) == 0
    assert count(sessions, Response) == 1  # the family itself has its own, longer end


def test_the_log_says_how_many_never_whose(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    world = build_digest_world(sessions)
    join(world.world, 501, "16AH00")
    walk_to_the_end(world.world, 501)
    everything_happened_at(sessions, START)
    caplog.set_level(logging.DEBUG, logger="bot.background.retention")
    erase_on(sessions, world.clock, 400)
    [record] = caplog.records
    assert "erased 1 families" in record.getMessage()
    assert "501" not in record.getMessage()
    assert "12345678" not in record.getMessage()


def test_an_unsent_digest_keeps_the_families_whose_time_is_not_up(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions, mail=False)
    world.staff_joins(STAFF_A)
    world.urgent_family(501)
    with sessions.begin() as db:  # the urgent alert went out; the family answered long ago
        db.execute(update(OutboxMessage).values(sent_at=world.clock.now()))
        db.execute(update(Response).values(completed_at=world.clock.now() - timedelta(days=366)))
    world.calm_family(502)
    assert world.digests.send_now("16AH00") is not None  # waits for Telegram, with both

    erased = erase_expired(Transactions(sessions), world.clock, RULES, world.digests)

    assert erased.families == 1
    waiting = [t for t in world.outbox_texts(STAFF_A) if "Groep 4" in t]
    assert waiting, "the family that stays still reaches its school"
    assert not any("Groep 6" in text for text in world.outbox_texts(STAFF_A))
