"""`ouderbrug demo`: real schools and invented families, so a first run shows the product.

The schools come from a small extract of DUO's list (bundled beside this module); the
families answer through the real service (bot.demo.simulate). The demo keeps to a
database of its own: it refuses one with real parents or staff, and knows its own
families by the Telegram user ids it stored, so it can replace them without doubling.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.demo.families import FAMILIES
from bot.demo.simulate import FIRST_USER_ID, simulation
from bot.flowfiles.registry import FlowRegistry
from bot.reception.reception import Reception
from bot.schools.catalog import SchoolCatalog
from bot.schools.importer import ImportCounts
from bot.storage import stored
from bot.storage.models import Digest, OutboxMessage, Parent, ProcessedUpdate, Staff, utcnow

SCHOOLS_FILE: Final = Path(__file__).resolve().with_name("scholen-arnhem-zwolle.csv")
# The Telegram user ids of the demo's parents, as a JSON list.
DEMO_PARENTS: Final = "demo_parent_user_ids"


@dataclass(frozen=True, slots=True)
class Contents:
    """Who is in the database: the demo's parents, and anyone else."""

    demo_parents: int
    other_parents: int
    staff: int

    @property
    def real_people(self) -> bool:
        """Tell whether anyone but the demo's families is in the database."""
        return self.other_parents > 0 or self.staff > 0


@dataclass(frozen=True, slots=True)
class Played:
    """What one demo run stored."""

    schools: ImportCounts
    families: int
    children: int
    languages: tuple[str, ...]


def contents(sessions: sessionmaker[Session]) -> Contents:
    """Count the demo's parents, other parents and staff."""
    with sessions() as db:
        ids = _demo_user_ids(db)
        demo = _count(db, Parent.telegram_user_id.in_(ids)) if ids else 0
        others = _count(db, Parent.telegram_user_id.not_in(ids) if ids else None)
        staff = int(db.scalar(select(func.count()).select_from(Staff)) or 0)
    return Contents(demo, others, staff)


def play(
    sessions: sessionmaker[Session],
    desk: Reception,
    registry: FlowRegistry,
    catalog: SchoolCatalog,
    default_flow: str,
) -> Played:
    """Import the bundled schools and let every demo family answer; return what was stored."""
    schools = _import_schools(sessions)
    world = simulation(sessions, desk, registry, catalog, default_flow)
    user_ids = [FIRST_USER_ID + number for number in range(len(FAMILIES))]
    # Remembered first: should a family fail halfway, --reset still finds them all.
    with sessions.begin() as db:
        stored.remember(db, DEMO_PARENTS, json.dumps(user_ids))
    pairs = zip(user_ids, FAMILIES, strict=True)
    children = sum(world.play(user_id, family) for user_id, family in pairs)
    _settle_outbox(sessions, user_ids)
    languages = tuple(sorted({family.language for family in FAMILIES}))
    return Played(schools, len(FAMILIES), children, languages)


def remove(sessions: sessionmaker[Session]) -> int:
    """Erase the demo's families and what the service made of them; return how many."""
    with sessions.begin() as db:
        ids = _demo_user_ids(db)
        parents = _count(db, Parent.telegram_user_id.in_(ids)) if ids else 0
        # Their sessions, responses, translations and messages go with them (cascade).
        for parent in db.scalars(select(Parent).where(Parent.telegram_user_id.in_(ids))):
            db.delete(parent)
        # Only demo families were in this database (it refuses others): its digests too.
        db.execute(delete(Digest))
        db.execute(delete(ProcessedUpdate).where(ProcessedUpdate.update_id < 0))
        stored.remember(db, DEMO_PARENTS, "[]")
    return parents


def _import_schools(sessions: sessionmaker[Session]) -> ImportCounts:
    from bot.schools.duo import read_duo
    from bot.schools.importer import import_schools
    from bot.storage.repositories.schools import SqlSchools

    with sessions.begin() as db:
        return import_schools(SqlSchools(db), read_duo(SCHOOLS_FILE))


def _settle_outbox(sessions: sessionmaker[Session], user_ids: list[int]) -> None:
    """Mark the replies to the demo's parents sent: their chats exist nowhere.

    A bot started later on this database would otherwise try to deliver them.
    """
    with sessions.begin() as db:
        db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id.in_(user_ids), OutboxMessage.sent_at.is_(None))
            .values(sent_at=utcnow())
        )


def _demo_user_ids(db: Session) -> list[int]:
    value = stored.recall(db, DEMO_PARENTS)
    return [int(user_id) for user_id in json.loads(value)] if value else []


def _count(db: Session, condition: ColumnElement[bool] | None) -> int:
    query = select(func.count()).select_from(Parent)
    if condition is not None:
        query = query.where(condition)
    return int(db.scalar(query) or 0)
