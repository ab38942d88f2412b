"""The service stack of service_world plus digests, alerts and follow-up, on a fake clock."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.coordinators.flows import reload_flows
from bot.digests.alerts import UrgentAlerts
from bot.digests.desk import DigestDesk
from bot.digests.recipients import StaffChats
from bot.engine.engine import Engine
from bot.i18n.localizer import Localizers
from bot.parents.conversation import Conversations
from bot.reception.reception import Reception
from bot.schools.catalog import SchoolCatalog
from bot.settings import PROJECT_DIR
from bot.staff.desk import StaffDesk
from bot.staff.followup import FollowUps
from bot.storage.models import OutboxMessage
from bot.storage.unit import Transactions
from tests.fakes.clock import FakeClock, amsterdam
from tests.integration.service_world import INSTALLATION, SCHOOLS, World, build_world
from tests.integration.test_desk import join, walk_to_the_end

COORDINATOR = 99
STAFF_A, STAFF_B = 601, 602


@dataclass
class DigestWorld:
    """A world whose desk alerts staff, a digest desk, and a clock the test moves."""

    world: World
    digests: DigestDesk
    clock: FakeClock
    chats: StaffChats
    localizers: Localizers

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.world.sessions

    def staff_joins(self, user_id: int, school_index: int = 0) -> None:
        """Open the school's staff link."""
        self.world.say(user_id, f"/start staff-{SCHOOLS[school_index][3]}")

    def urgent_family(self, user_id: int, school: str = "16AH00") -> None:
        """Let a parent answer the whole flow and ask to be called this week."""
        join(self.world, user_id, school)
        walk_to_the_end(self.world, user_id)

    def calm_family(self, user_id: int, school: str = "16AH00") -> None:
        """Let a parent answer the whole flow: a tablet, good internet, reached by chat."""
        world = self.world
        join(world, user_id, school)
        for label in ("Groep 4", "Tablet", "Klaar", "Nee", "Goed", "Ja", "Overslaan"):
            world.press(user_id, label)
        world.press(user_id, "Overslaan")  # no remark
        world.press(user_id, "Via deze chat")
        world.press(user_id, "Alles klopt, versturen")

    def outbox_texts(self, chat_id: int) -> list[str]:
        """Return what waits in (or went through) the outbox for a chat, oldest first."""
        with self.sessions() as db:
            rows = db.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.chat_id == chat_id, OutboxMessage.action == "send")
                .order_by(OutboxMessage.id)
            )
            return [str(row.payload["text"]) for row in rows]


def build_digest_world(sessions: sessionmaker[Session], *, mail: bool = True) -> DigestWorld:
    """Wire the service as the runtime does, with the clock at Monday 7 December 2026, 09:00."""
    clock = FakeClock(amsterdam(2026, 12, 7, 9, 0))
    world = build_world(sessions)
    localizers = Localizers(PROJECT_DIR / "locales")
    schools = SchoolCatalog(sessions)
    schools.refresh()
    chats = StaffChats(sessions, clock, [COORDINATOR], ["coordinator@gemeente.example"])
    alerts = UrgentAlerts(world.registry, localizers, clock, chats, mail=mail)
    digests = DigestDesk(sessions, world.registry, localizers, clock, open_days=7, mail=mail)
    conversations = Conversations(
        world.registry,
        Engine(schools, INSTALLATION),
        localizers,
        schools,
        "thuissituatie",
        digests=digests,
    )
    world.desk = Reception(
        Transactions(sessions),
        conversations,
        StaffDesk(world.registry, schools, localizers.get("nl")),
        frozenset({COORDINATOR}),
        reload_flows=partial(reload_flows, world.registry, schools),
        followups=FollowUps(localizers, clock),
        alerts=alerts,
    )
    return DigestWorld(world, digests, clock, chats, localizers)
