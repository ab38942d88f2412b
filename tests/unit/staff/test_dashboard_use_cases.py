"""/dashboard hands out sign-in links to coordinators and staff only; the dashboard's buttons
change only the families of the schools the user may act for."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.messages.followup import FollowUpStatus
from bot.messages.incoming import BotCommand, CommandSent
from bot.staff.followup import ALREADY_HELPED, NOTED, set_status
from bot.staff.signin import DashboardSignIn, token_hash
from tests.unit.staff.world import HERE, NOW, STRANGER, TEACHER, THERE, build

COORDINATOR = 900
ADDRESS = "https://ouderbrug.example.nl/dashboard"


def test_a_link_is_for_staff_and_coordinators_stored_by_its_hash_and_valid_ten_minutes() -> None:
    world = build()
    signin = DashboardSignIn([COORDINATOR], ADDRESS + "/", world.clock)
    ask = CommandSent(BotCommand.DASHBOARD)
    assert signin.asked(world.uow, world.incoming(STRANGER, ask)) is None
    for user_id in (TEACHER, COORDINATOR):
        replies = signin.asked(world.uow, world.incoming(user_id, ask))
        assert replies is not None
        found = re.search(
            rf"{re.escape(ADDRESS)}/signin/([A-Za-z0-9_-]{{43}})", replies.items[0].text
        )
        assert found is not None
        secret = found.group(1)
        assert secret not in world.uow.signins.links
        assert world.uow.signins.links[token_hash(secret)][:2] == (
            user_id,
            NOW + timedelta(minutes=10),
        )
    assert len(world.uow.signins.links) == 2


def test_the_dashboard_marks_a_family_only_for_a_school_the_user_may_act_for() -> None:
    world = build()
    here = world.family(HERE)
    there = world.family(THERE)
    by = (7, NOW)
    assert set_status(world.uow, there.id, FollowUpStatus.HELPED, [HERE], by) is None
    assert set_status(world.uow, 999, FollowUpStatus.HELPED, [HERE], by) is None
    assert there.followup_status == "open"
    answer = set_status(world.uow, here.id, FollowUpStatus.HELPED, [HERE], by)
    assert answer == NOTED[FollowUpStatus.HELPED]
    assert (here.followup_status, here.followup_staff_id, here.followup_at) == ("helped", 7, NOW)
    again = set_status(world.uow, here.id, FollowUpStatus.CONTACTED, None, (None, NOW))
    assert again == ALREADY_HELPED
    assert here.followup_status == "helped"
