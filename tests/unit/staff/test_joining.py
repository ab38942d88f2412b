"""Joining a school's staff by its staff link, in milliseconds on the fake unit of work."""

from __future__ import annotations

from bot.messages.incoming import BotCommand, CommandSent
from bot.staff.school_staff import INVALID_LINK, REVOKED
from tests.unit.staff.world import HERE, HERE_TOKEN, NOW, STRANGER, TEACHER, StaffWorld, build

NEWCOMER = 700


def join(world: StaffWorld, user_id: int, token: str) -> list[str]:
    incoming = world.incoming(user_id, CommandSent(BotCommand.START, f"staff-{token}"))
    return [reply.text for reply in world.staff.join(world.uow, incoming, token).items]


def test_a_valid_link_makes_the_sender_a_recipient_of_that_school() -> None:
    world = build()

    answer = join(world, NEWCOMER, HERE_TOKEN)

    assert answer == [
        "Welkom! U ontvangt voortaan de antwoorden van ouders van De Regenboog. "
        "Typ /responses om de nieuwste te zien."
    ]
    member = world.uow.staff.of_school(HERE, NEWCOMER)
    assert member is not None
    assert (member.chat_id, member.name, member.revoked_at) == (NEWCOMER, "Juf Anna", None)
    assert world.staff.is_staff(world.uow, NEWCOMER)


def test_a_forged_link_is_refused_and_makes_nobody_staff() -> None:
    world = build()

    answer = join(world, STRANGER, "token-nobody-ever-made-cccccccccc")

    assert answer == [INVALID_LINK]
    assert world.uow.staff.memberships(STRANGER) == {}
    assert not world.staff.is_staff(world.uow, STRANGER)


def test_a_revoked_member_who_opens_the_link_again_stays_revoked() -> None:
    world = build()
    member = world.uow.staff.of_school(HERE, TEACHER)
    assert member is not None
    member.revoked_at = NOW

    answer = join(world, TEACHER, HERE_TOKEN)

    assert answer == [REVOKED]
    assert member.revoked_at == NOW
    assert not world.staff.is_staff(world.uow, TEACHER)


def test_opening_the_link_again_revives_a_chat_telegram_had_refused() -> None:
    world = build()
    member = world.uow.staff.of_school(HERE, TEACHER)
    assert member is not None
    member.inactive_at = NOW

    join(world, TEACHER, HERE_TOKEN)

    assert member.inactive_at is None
    assert len(world.uow.staff.members) == 2  # the same membership, not a second one
