"""The coordinators' use cases behind `ouderbrug staff`, `schools` and `followup`, in memory."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.coordinators.digests import DigestSettings, set_digest_settings
from bot.coordinators.followup import follow_up
from bot.coordinators.links import bot_username
from bot.coordinators.schools import add_refusals, add_school, replace_staff_link, schools_in
from bot.coordinators.staff import member_id, reinstate, staff_of
from bot.digests.schedule import parse_schedule
from bot.flowfiles.stored import dump
from bot.messages.followup import FollowUpStatus
from bot.storage.repositories.flows import FlowRevision
from tests.unit.staff.world import HERE, HERE_TOKEN, NOW, TEACHER, THERE, build


def test_reinstating_a_revoked_member_lets_them_receive_the_families_again() -> None:
    world = build()
    member = world.uow.staff.of_school(HERE, TEACHER)
    assert member is not None
    member.revoked_at = NOW

    done = reinstate(world.uow, HERE, TEACHER)

    assert done is not None
    assert done.was_revoked
    assert world.uow.staff.memberships(TEACHER) == {HERE: member.id}
    again = reinstate(world.uow, HERE, TEACHER)
    assert again is not None
    assert not again.was_revoked
    assert reinstate(world.uow, THERE, TEACHER) is None  # no member of that school


def test_staff_are_listed_by_school_and_found_by_telegram_user() -> None:
    world = build()

    assert [m.school_code for m in staff_of(world.uow, None)] == [HERE, THERE]
    assert [m.telegram_user_id for m in staff_of(world.uow, HERE)] == [TEACHER]
    assert member_id(world.uow, HERE, TEACHER) is not None
    assert member_id(world.uow, THERE, TEACHER) is None


def test_a_school_is_added_once_and_then_only_updated_when_asked() -> None:
    world = build()
    given = {"name": "De Linde", "town": "AMERSFOORT"}

    assert add_refusals(world.uow, "18CD02", {"name": "De Linde"}, update=False) == [
        "A school needs a town (--town)."
    ]
    assert add_refusals(world.uow, "18CD02", given, update=True) == [
        "There is no school 18CD02 to update: leave out --update to add it."
    ]
    assert add_refusals(world.uow, "18CD02", given, update=False) == []
    assert add_school(world.uow, "18CD02", given) == "Added school 18CD02: De Linde, AMERSFOORT."
    added = world.uow.schools.get("18CD02")
    assert added is not None
    assert added.sector == "po"
    assert added.staff_token
    assert add_refusals(world.uow, "18CD02", given, update=False) != []
    assert add_school(world.uow, "18CD02", {"name": "De Linde 2"}).startswith("Updated school")
    assert [s.code for s in schools_in(world.uow, "  amersfoort ")] == ["18CD02"]


def test_a_new_staff_link_stops_the_old_one() -> None:
    world = build()

    token = replace_staff_link(world.uow, HERE)

    assert token != HERE_TOKEN
    assert world.uow.schools.by_staff_token(HERE_TOKEN) is None
    assert world.uow.schools.by_staff_token(token) is world.uow.schools.get(HERE)


def test_digest_settings_change_only_what_is_given_and_the_next_digest_follows() -> None:
    world = build()
    school = world.uow.schools.get(HERE)
    assert school is not None
    school.digest_emails = ["juf@example.org"]
    schedule = parse_schedule("mon-fri 15:30")

    changed = set_digest_settings(world.uow, HERE, DigestSettings(schedule=schedule), NOW)

    assert changed is school
    assert school.digest_schedule == str(schedule)
    assert school.digest_due_at == schedule.next_after(NOW)
    assert school.digest_emails == ["juf@example.org"]
    set_digest_settings(world.uow, HERE, DigestSettings(emails=[]), NOW)
    assert school.digest_emails == []
    assert set_digest_settings(world.uow, "99ZZ99", DigestSettings(language="en"), NOW) is None


def test_follow_up_leaves_out_helped_families_unless_asked() -> None:
    world = build()
    first = world.family(HERE, grade="6")
    helped = world.family(HERE, grade="7")
    helped.followup_status = FollowUpStatus.HELPED.value
    helped.completed_at = NOW + timedelta(hours=1)
    world.family(None, grade="8")  # no school: for the coordinator, never followed up

    assert [f.response_id for f in follow_up(world.uow, None, helped=False)] == [first.id]
    families = follow_up(world.uow, HERE, helped=True)
    assert [(f.response_id, f.status) for f in families] == [
        (first.id, FollowUpStatus.OPEN),
        (helped.id, FollowUpStatus.HELPED),
    ]
    assert follow_up(world.uow, THERE, helped=True) == []


def test_the_follow_up_list_reads_the_group_the_answered_flow_declares() -> None:
    world = build()
    world.family(HERE, grade="groep_6", internet="slow")
    # Until the revision is stored, nothing says which step holds the group.
    assert [f.grade for f in follow_up(world.uow, HERE, helped=False)] == [""]
    flow = world.flow
    stored = FlowRevision(flow.revision, flow.id, flow.version, "", dump(flow))
    world.uow.flows.add(stored)
    assert [f.grade for f in follow_up(world.uow, HERE, helped=False)] == ["groep_6"]
    # A flow that names another step as the group is read by its own declaration.
    renamed = replace(flow, meaning=replace(flow.meaning, group="internet"))
    world.uow.flows.revisions[flow.revision] = replace(stored, definition=dump(renamed))
    assert [f.grade for f in follow_up(world.uow, HERE, helped=False)] == ["slow"]


def test_links_are_made_with_the_configured_username_else_the_learned_one() -> None:
    world = build()
    assert bot_username(world.uow, "") == ""
    world.uow.schools.username = "OuderbrugBot"
    assert bot_username(world.uow, "") == "OuderbrugBot"
    assert bot_username(world.uow, "AnderBot") == "AnderBot"
