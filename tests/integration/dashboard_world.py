"""The dashboard on the service stack: a real desk, a real database, a fake clock, HTTP in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.dashboard.app import standalone
from bot.storage.models import Response
from tests.fakes.clock import FakeClock, amsterdam
from tests.integration.service_world import SCHOOLS, World, build_system_on
from tests.integration.test_desk import join, walk_to_the_end
from tests.integration.web_server import served

STAFF_A, STAFF_B = 601, 602
LINK = re.compile(r"(https?://[^\s]+/dashboard)(/signin/[A-Za-z0-9_-]+)")


@dataclass
class DashboardWorld:
    """Parents answer through the desk; coordinators and staff use the dashboard by HTTP."""

    world: World
    clock: FakeClock
    client: httpx.Client

    def family(self, user_id: int, school: str) -> int:
        """Let a parent answer the whole flow for a school; return the response's id."""
        join(self.world, user_id, school)
        walk_to_the_end(self.world, user_id)
        with self.world.sessions() as db:
            found = db.scalar(
                select(Response.id)
                .where(Response.school_code == school)
                .order_by(Response.id.desc())
            )
        assert found is not None
        return int(found)

    def staff_joins(self, user_id: int, school_index: int) -> None:
        """Open a school's staff link in the bot."""
        self.world.say(user_id, f"/start staff-{SCHOOLS[school_index][3]}")

    def link(self, user_id: int) -> str:
        """Send /dashboard to the bot; return the path of the sign-in link it sent."""
        replies = self.world.say(user_id, "/dashboard")
        found = LINK.search(replies[-1].text)
        assert found is not None, replies
        return f"/dashboard{found.group(2)}"

    def sign_in(self, user_id: int) -> None:
        """Sign in through the link the bot sent (open it, press the button)."""
        path = self.link(user_id)
        assert self.client.get(path).status_code == 200
        signed = self.client.post(path, follow_redirects=False)
        assert signed.status_code == 303, signed.text

    def csrf(self, path: str) -> str:
        """Return the form token on a page."""
        found = re.search(r'name="csrf" value="([^"]+)"', self.client.get(path).text)
        assert found is not None
        return found.group(1)


@contextmanager
def dashboard_world(sessions: sessionmaker[Session]) -> Iterator[DashboardWorld]:
    """Build the system as the bot does and serve its dashboard; yield it with a client."""
    clock = FakeClock(amsterdam(2026, 12, 7, 10))
    system = build_system_on(
        sessions,
        clock=clock,
        dashboard_url="http://127.0.0.1/dashboard",
        telegram_bot_username="OuderbrugTestBot",
    )
    world = World(sessions, system.reception, system.registry)
    with served(standalone(system.dashboard)) as base, httpx.Client(base_url=base) as client:
        yield DashboardWorld(world, clock, client)
