"""Two schools with a staff member each, on the fake unit of work: no database, no Telegram."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.engine.flow import Flow
from bot.engine.state import SchoolMatch
from bot.flowfiles.loader import parse_flow
from bot.i18n.localizer import Localizers
from bot.messages.incoming import Action, BotCommand, ButtonPressed, CommandSent, Incoming
from bot.settings import PROJECT_DIR
from bot.staff.followup import FollowUps
from bot.staff.school_staff import SchoolStaff
from bot.storage.models import Digest, Response, School, Staff
from bot.storage.unit import UnitOfWork
from tests.fakes.clock import FakeClock
from tests.fakes.units import FakeUnitOfWork

HERE, THERE = "16AH00", "17BX01"
HERE_TOKEN, THERE_TOKEN = "token-here-aaaaaaaaaaaaaaaa", "token-there-bbbbbbbbbbbbbbbb"
# Staff of each school, and a Telegram user who is staff of none.
TEACHER, OTHER_TEACHER, STRANGER = 601, 602, 603
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NAMES = {HERE: ("De Regenboog", "UTRECHT"), THERE: ("Het Anker", "ZWOLLE")}


class Catalog:
    """The two schools by name, as the school catalog describes them."""

    def search(self, query: str, limit: int) -> Sequence[SchoolMatch]:
        return []

    def get(self, code: str) -> SchoolMatch | None:
        name = NAMES.get(code)
        return SchoolMatch(code, *name) if name else None

    def describe(self, code: str | None) -> str:
        match = self.get(code) if code else None
        return f"{match.name}, {match.town}" if match else code or ""


@dataclass
class Revisions:
    """The flow registry's revisions, from the project's own flow file."""

    flows: dict[str, Flow] = field(default_factory=dict)

    def revision(self, revision: str, uow: UnitOfWork) -> Flow | None:
        return self.flows.get(revision)


def project_flow() -> Flow:
    source = (PROJECT_DIR / "flows" / "thuissituatie.yaml").read_bytes()
    flow = parse_flow(source, "thuissituatie.yaml").flow
    assert flow is not None
    return flow


@dataclass
class StaffWorld:
    """The staff room's use cases on one fake unit of work."""

    uow: FakeUnitOfWork
    staff: SchoolStaff
    followups: FollowUps
    flow: Flow
    clock: FakeClock
    updates: int = 0

    def incoming(self, user_id: int, action: Action) -> Incoming:
        self.updates += 1
        return Incoming(self.updates, user_id, user_id, "nl", "Juf Anna", action)

    def family(self, school: str | None, **answers: object) -> Response:
        """Store a finished response of a family at a school."""
        response = Response(
            id=len(self.uow.families.responses) + 1,
            school_code=school,
            flow_id=self.flow.id,
            flow_revision=self.flow.revision,
            flow_version=self.flow.version,
            language="nl",
            answers=dict(answers),
            completed_at=NOW,
            followup_status="open",
        )
        self.uow.families.responses.append(response)
        return response

    def digest(self, school: str, *parts: list[int]) -> Digest:
        """Store a digest of a school that listed these families, one list per message."""
        digest = Digest(id=len(self.uow.families.digests) + 1, school_code=school, parts=[*parts])
        self.uow.families.digests.append(digest)
        return digest

    def responses(self, user_id: int) -> list[str]:
        """Send /responses; return the texts it answered."""
        replies = self.staff.responses(self.uow, self.incoming(user_id, responses_command()))
        return [reply.text for reply in replies.items]


def responses_command() -> CommandSent:
    return CommandSent(BotCommand.RESPONSES, "")


def pressed(data: str, message_id: int = 77) -> ButtonPressed:
    return ButtonPressed(data, message_id, "callback-1")


def build() -> StaffWorld:
    """Two schools, a teacher at each: the starting point of every staff test."""
    uow = FakeUnitOfWork()
    for code, token in ((HERE, HERE_TOKEN), (THERE, THERE_TOKEN)):
        name, town = NAMES[code]
        uow.schools.add(School(code=code, name=name, town=town, staff_token=token))
        uow.schools.schools[-1].digest_language = "nl"
    for user_id, code in ((TEACHER, HERE), (OTHER_TEACHER, THERE)):
        uow.staff.add(
            Staff(school_code=code, telegram_user_id=user_id, chat_id=user_id, joined_at=NOW)
        )
    flow = project_flow()
    localizers = Localizers(PROJECT_DIR / "locales")
    clock = FakeClock(NOW)
    staff = SchoolStaff(Revisions({flow.revision: flow}), Catalog(), localizers.get("nl"))
    return StaffWorld(uow, staff, FollowUps(localizers, clock), flow, clock)
