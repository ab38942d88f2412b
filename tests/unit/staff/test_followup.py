"""The 'contacted' and 'helped' presses: only staff of the family's own school change anything."""

from __future__ import annotations

from bot.messages.callbacks import FollowUp, decode, encode
from bot.messages.followup import FollowUpStatus
from bot.messages.replies import Replies
from bot.staff.followup import ALREADY, ALREADY_HELPED, GONE, NOT_YOURS, NOTED
from tests.unit.staff.world import (
    HERE,
    NOW,
    OTHER_TEACHER,
    STRANGER,
    TEACHER,
    StaffWorld,
    build,
    pressed,
)


def press(
    world: StaffWorld, user_id: int, status: FollowUpStatus, response_id: int, digest_id: int = 0
) -> Replies:
    data = encode(FollowUp(status, response_id, digest_id))
    button = decode(data)
    assert isinstance(button, FollowUp)
    incoming = world.incoming(user_id, pressed(data))
    return world.followups.press(world.uow, incoming, button)


def popup(replies: Replies) -> str:
    (answer,) = [r for r in replies.items if r.action == "answer_callback"]
    assert answer.callback_id == "callback-1"
    return answer.text


def test_staff_of_the_family_s_school_mark_it_and_the_buttons_are_redrawn() -> None:
    world = build()
    family = world.family(HERE, grade="6")
    world.clock.advance(hours=2)

    replies = press(world, TEACHER, FollowUpStatus.CONTACTED, family.id)

    assert popup(replies) == NOTED[FollowUpStatus.CONTACTED]
    assert family.followup_status == "contacted"  # the stored value is the plain word
    member = world.uow.staff.of_school(HERE, TEACHER)
    assert member is not None
    assert (family.followup_staff_id, family.followup_at) == (member.id, world.clock.now())
    (redrawn,) = [r for r in replies.items if r.action == "edit_markup"]
    assert redrawn.message_id == 77
    contacted, helped, write = redrawn.buttons[0]
    assert write.data.startswith("cw:")
    assert contacted.text.startswith("✓ ")
    assert not helped.text.startswith("✓ ")


def test_staff_of_another_school_change_nothing_and_learn_nothing() -> None:
    world = build()
    family = world.family(HERE, grade="6")

    replies = press(world, OTHER_TEACHER, FollowUpStatus.HELPED, family.id)

    assert popup(replies) == NOT_YOURS
    assert [r.action for r in replies.items] == ["answer_callback"]
    assert (family.followup_status, family.followup_staff_id) == ("open", None)


def test_a_forged_press_gets_the_same_answer_whether_or_not_the_family_exists() -> None:
    world = build()
    family = world.family(HERE, grade="6")

    for user_id, response_id in ((STRANGER, family.id), (TEACHER, 999), (STRANGER, 999)):
        assert popup(press(world, user_id, FollowUpStatus.HELPED, response_id)) == NOT_YOURS
    assert family.followup_status == "open"


def test_a_stale_press_of_a_member_revoked_since_changes_nothing() -> None:
    world = build()
    family = world.family(HERE, grade="6")
    member = world.uow.staff.of_school(HERE, TEACHER)
    assert member is not None
    member.revoked_at = NOW

    assert popup(press(world, TEACHER, FollowUpStatus.HELPED, family.id)) == NOT_YOURS
    assert family.followup_status == "open"


def test_a_status_already_set_is_said_so_and_kept() -> None:
    world = build()
    family = world.family(HERE, grade="6")
    press(world, TEACHER, FollowUpStatus.CONTACTED, family.id)
    set_at = family.followup_at
    world.clock.advance(hours=1)

    assert popup(press(world, TEACHER, FollowUpStatus.CONTACTED, family.id)) == ALREADY
    assert family.followup_at == set_at


def test_a_family_marked_helped_does_not_go_back_to_contacted() -> None:
    world = build()
    family = world.family(HERE, grade="6")
    press(world, TEACHER, FollowUpStatus.HELPED, family.id)

    replies = press(world, TEACHER, FollowUpStatus.CONTACTED, family.id)

    assert popup(replies) == ALREADY_HELPED
    assert family.followup_status == FollowUpStatus.HELPED


def test_an_erased_family_of_the_own_digest_is_said_to_be_erased() -> None:
    world = build()
    family = world.family(HERE, grade="6")
    digest = world.digest(HERE, [family.id])
    world.uow.families.responses.remove(family)  # erased by the parent

    assert popup(press(world, TEACHER, FollowUpStatus.HELPED, family.id, digest.id)) == GONE
    # To staff of another school the same press tells nothing.
    assert popup(press(world, OTHER_TEACHER, FollowUpStatus.HELPED, family.id, digest.id)) == (
        NOT_YOURS
    )


def test_a_press_redraws_the_whole_message_and_an_erased_family_loses_its_buttons() -> None:
    world = build()
    first, erased, third = (world.family(HERE, grade="6") for _ in range(3))
    digest = world.digest(HERE, [first.id, erased.id], [third.id])
    world.uow.families.responses.remove(erased)

    replies = press(world, TEACHER, FollowUpStatus.HELPED, first.id, digest.id)

    (redrawn,) = [r for r in replies.items if r.action == "edit_markup"]
    (row,) = redrawn.buttons  # the second family of the message is gone
    assert row[1].text.startswith("✓ ")
    assert decode(row[1].data) == FollowUp(FollowUpStatus.HELPED, first.id, digest.id)
