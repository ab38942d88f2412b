"""The service stack of service_world plus digests, alerts and follow-up, on a fake clock."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.digests.recipients import StaffChats
from bot.digests.rounds import DigestRounds
from bot.i18n.localizer import Localizers
from bot.storage.models import OutboxMessage
from tests.fakes.clock import FakeClock, amsterdam
from tests.integration.service_world import COORDINATOR, SCHOOLS, World, build_system_on
from tests.integration.test_desk import join, walk_to_the_end

STAFF_A, STAFF_B = 601, 602
__all__ = ["COORDINATOR", "STAFF_A", "STAFF_B", "DigestWorld", "build_digest_world"]


@dataclass
class DigestWorld:
    """A world whose desk alerts staff, the digest rounds, and a clock the test moves."""

    world: World
    digests: DigestRounds
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
    """Wire the service as the bot does, with the clock at Monday 7 December 2026, 09:00."""
    clock = FakeClock(amsterdam(2026, 12, 7, 9, 0))
    # Digests and alerts go by e-mail too once SMTP is configured; nothing connects to it here.
    smtp = SecretStr("smtp://127.0.0.1:9") if mail else None
    system = build_system_on(
        sessions, clock=clock, coordinator_emails=["coordinator@gemeente.example"], smtp_url=smtp
    )
    world = World(sessions, system.reception, system.registry)
    return DigestWorld(world, system.digests, clock, system.staff_chats, system.localizers)
