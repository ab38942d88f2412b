"""/delete recalls what is still waiting about the family: staff messages and e-mails."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.digests.mail import MailSender
from bot.digests.mail import SmtpServer as SmtpSettings
from bot.i18n.languages import SUPPORTED
from bot.i18n.localizer import Localizers
from bot.parents import texts as msg
from bot.settings import PROJECT_DIR
from bot.storage.models import MailFamily, MailMessage, OutboxFamily, OutboxMessage, School
from bot.storage.unit import Transactions
from tests.conftest import CliResult
from tests.fakes.smtp import SmtpServer
from tests.integration.digest_world import STAFF_A, STAFF_B, DigestWorld, build_digest_world

PHONE = "12345678"


def erase(world: DigestWorld, user_id: int) -> None:
    """Send /delete and confirm it."""
    world.world.say(user_id, "/delete")
    world.world.press(user_id, "Ja, wis alles")


def with_address(world: DigestWorld) -> None:
    with world.sessions.begin() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        school.digest_emails = ["ib@regenboog.example"]


def staff_texts(world: DigestWorld) -> list[str]:
    with world.sessions() as db:
        rows = db.scalars(
            select(OutboxMessage).where(OutboxMessage.chat_id == STAFF_A).order_by(OutboxMessage.id)
        )
        return [str(row.payload["text"]) for row in rows]


def test_an_urgent_e_mail_waiting_for_the_mail_server_is_not_sent_after_the_erase(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    with_address(world)
    with SmtpServer() as smtp:
        sender = MailSender(
            Transactions(sessions), SmtpSettings.from_url(smtp.url, "bot@x.example"), world.clock
        )
        smtp.refuse(1)
        world.urgent_family(501)
        assert asyncio.run(sender.send_due()) == 0  # the mail server is down
        erase(world, 501)
        world.clock.advance(hours=1)  # the mail server is back, the backoff is over
        assert asyncio.run(sender.send_due()) == 0
        assert smtp.received == []
    with sessions() as db:
        assert db.scalars(select(MailMessage)).all() == []
        assert db.scalars(select(MailFamily)).all() == []


def test_an_unsent_urgent_alert_to_the_staff_is_recalled(sessions: sessionmaker[Session]) -> None:
    world = build_digest_world(sessions, mail=False)
    world.staff_joins(STAFF_A)
    world.urgent_family(501)
    assert any(PHONE in text for text in staff_texts(world))
    erase(world, 501)
    assert not any(PHONE in text for text in staff_texts(world))
    with sessions() as db:
        assert db.scalars(select(OutboxFamily)).all() == []


def test_a_digest_with_two_families_still_brings_the_other_without_the_erased_one(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    with_address(world)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    world.urgent_family(502)
    with sessions.begin() as db:  # the urgent alert went out; the digest is what waits
        db.execute(update(OutboxMessage).values(sent_at=world.clock.now()))
        db.execute(update(MailMessage).values(sent_at=world.clock.now()))
    made = world.digests.send_now("16AH00")
    assert made is not None
    assert made.new_count == 2
    erase(world, 502)
    with SmtpServer() as smtp:
        sender = MailSender(
            Transactions(sessions), SmtpSettings.from_url(smtp.url, "bot@x.example"), world.clock
        )
        assert asyncio.run(sender.send_due()) == 1
        [mail] = smtp.received
    body = mail.message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Groep 4" in text  # the family that stays
    assert PHONE not in text
    assert "Groep 6" not in text
    _name, attachment = mail.attachment()
    assert b"Groep 4" in attachment
    assert PHONE.encode() not in attachment
    [part] = [t for t in staff_texts(world) if "Groep 4" in t]
    assert part.startswith("Ouderbrug: gezinnen van De Regenboog")  # still reads as a digest
    assert "Nieuw: 1 gezin." in part
    assert "Nieuw: 1 gezin." in text
    assert PHONE not in part
    assert "Groep 6" not in part
    with sessions() as db:
        sent_about_erased = db.scalars(select(OutboxFamily.response_id)).all()
    assert len(set(sent_about_erased)) == 1  # only the remaining family is linked


def test_what_the_school_received_already_stays_there_and_the_parent_is_told(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.urgent_family(501)
    world.world.say(501, "/delete")
    assert (
        "Wat de school al van ons heeft ontvangen, blijft bij de school."
        in world.world.last_text(501)
    )
    world.world.press(501, "Ja, wis alles")
    assert (
        "Wat de school al van ons heeft ontvangen, blijft bij de school."
        in world.world.last_text(501)
    )


@pytest.mark.parametrize("language", [code for code in SUPPORTED if code != "nl"])
def test_every_language_tells_what_the_school_keeps(language: str) -> None:
    texts = Localizers(PROJECT_DIR / "locales").get(language)
    for source in (msg.DELETE_CONFIRM, msg.DELETED):
        assert texts.gettext(source) != source, f"{language} has no translation of {source!r}"


def test_the_consent_question_says_who_we_are_who_sees_what_and_for_how_long(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    world.world.say(501, "/start 16AH00")
    world.world.press(501, "Nederlands")
    consent = world.world.last_text(501)
    assert "Wij zijn Gemeente Voorbeeld." in consent
    assert "coördinatoren van Gemeente Voorbeeld" in consent
    assert "90 dagen nadat de school u heeft geholpen" in consent
    assert "365 dagen nadat u ze hebt gestuurd" in consent
    assert "https://voorbeeld.example/privacy" in consent


def test_an_e_mail_claimed_before_the_erase_is_not_sent_after_it(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    with_address(world)
    world.urgent_family(501)
    world.urgent_family(502)
    with SmtpServer() as smtp:
        sender = MailSender(
            Transactions(sessions), SmtpSettings.from_url(smtp.url, "bot@x.example"), world.clock
        )
        # Both e-mails are claimed at once; while the first is handed over, 502 erases.
        smtp.meanwhile(lambda _received: erase(world, 502) if len(smtp.received) == 1 else None)
        assert asyncio.run(sender.send_due()) == 1
        [mail] = smtp.received
    assert "Groep 6" in str(mail.message.get_body(("plain",)))
    with sessions() as db:
        assert len(db.scalars(select(MailMessage)).all()) == 1  # only the sent one is left


def test_a_responses_list_for_the_staff_is_recalled_with_the_family(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions, mail=False)
    world.staff_joins(STAFF_A)
    world.urgent_family(501)
    world.world.say(STAFF_A, "/responses")
    assert any(PHONE in text and "1 nieuwste gezin\n" in text for text in staff_texts(world))
    erase(world, 501)
    assert not any(PHONE in text for text in staff_texts(world))


def test_a_revoked_member_does_not_get_what_was_still_waiting_for_them(
    sessions: sessionmaker[Session], ouderbrug: Callable[..., CliResult]
) -> None:
    world = build_digest_world(sessions, mail=False)
    world.staff_joins(STAFF_A)
    world.staff_joins(STAFF_B)
    world.urgent_family(501)  # the alert waits for both chats (Telegram was away)
    assert ouderbrug("staff", "revoke", "16AH00", str(STAFF_A), "--keep-link").code == 0
    assert not any(PHONE in text for text in staff_texts(world))
    assert any(PHONE in text for text in world.outbox_texts(STAFF_B))  # the others still get it


def test_a_digest_e_mail_claimed_before_the_erase_goes_out_as_rewritten(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions)
    with_address(world)
    world.calm_family(501)
    world.urgent_family(502)
    with sessions.begin() as db:  # 502's urgent e-mail went out; 503's is still waiting
        db.execute(update(MailMessage).values(sent_at=world.clock.now()))
    world.urgent_family(503)
    assert world.digests.send_now("16AH00") is not None
    with SmtpServer() as smtp:
        sender = MailSender(
            Transactions(sessions), SmtpSettings.from_url(smtp.url, "bot@x.example"), world.clock
        )
        # Both are claimed at once; while 503's alert is handed over, 502 erases.
        smtp.meanwhile(lambda _received: erase(world, 502) if len(smtp.received) == 1 else None)
        assert asyncio.run(sender.send_due()) == 2
        digest = smtp.received[1]
    body = digest.message.get_body(("plain",))
    assert body is not None
    assert "Nieuw: 2 gezinnen." in body.get_content()  # 501 and 503, not the erased 502
