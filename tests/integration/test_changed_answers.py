"""A family that changes its answers after a digest is listed once more, as updated."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Response
from tests.fakes.clock import amsterdam
from tests.integration.digest_world import STAFF_A, DigestWorld, build_digest_world

PARENT = 501


def change_to_no_tablet(world: DigestWorld) -> None:
    """From /status, answer child 1's questions again: no device at all this time."""
    w = world.world
    w.say(PARENT, "/status")
    w.press(PARENT, "Antwoorden kind 1 veranderen")
    w.press(PARENT, "Ja, ik doe mee")
    for label in ("Groep 4", "Geen apparaat", "Klaar", "Goed", "Ja", "Overslaan"):
        w.press(PARENT, label)
    w.press(PARENT, "Overslaan")
    w.press(PARENT, "Via deze chat")
    w.press(PARENT, "Alles klopt, versturen")


def family_blocks(queued_texts: list[str]) -> list[str]:
    return [block for text in queued_texts for block in text.split("\n\n") if "▶ Gezin" in block]


def test_a_changed_family_comes_back_once_as_updated_with_what_changed(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions, mail=False)
    world.staff_joins(STAFF_A)
    world.calm_family(PARENT)
    world.digests.run_due()  # 09:00: sets the time
    world.clock.set(amsterdam(2026, 12, 7, 15, 30))
    [first] = [q.reply.text for q in world.digests.run_due()]
    assert "Apparaten: Tablet" in first
    world.clock.set(amsterdam(2026, 12, 7, 19, 0))
    # The parent made a mistake: after /restart nothing new is started ...
    assert world.world.say(PARENT, "/restart")[0].text.startswith("Uw antwoorden zijn al")
    change_to_no_tablet(world)
    assert world.world.last_text(PARENT).startswith("Dank u wel. Uw veranderingen")
    world.clock.set(amsterdam(2026, 12, 8, 15, 30))
    [second] = [q.reply.text for q in world.digests.run_due()]
    [block] = family_blocks([second])
    assert "· bijgewerkt" in block.splitlines()[0]
    assert "Veranderd: " in block
    assert "Apparaten: Tablet → Geen apparaat" in block
    assert "Nieuw: 0 gezinnen. Nog open: 0. Bijgewerkt: 1" in second
    assert "Vragenlijst: Leren thuis" in block
    # ... and the child is still one child, in the digest it first came in.
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(Response)) == 1
    # Listed as updated once; after that it is a family still open like any other.
    world.clock.set(amsterdam(2026, 12, 16, 15, 30))
    later = [q.reply.text for q in world.digests.run_due()]
    blocks = family_blocks(later)
    assert len(blocks) == 1
    assert "bijgewerkt" not in blocks[0]
    assert "Veranderd" not in blocks[0]


def test_a_change_before_the_first_digest_is_simply_new(
    sessions: sessionmaker[Session],
) -> None:
    world = build_digest_world(sessions, mail=False)
    world.staff_joins(STAFF_A)
    world.calm_family(PARENT)
    change_to_no_tablet(world)
    world.digests.run_due()
    world.clock.set(amsterdam(2026, 12, 7, 15, 30))
    [text] = [q.reply.text for q in world.digests.run_due()]
    [block] = family_blocks([text])
    assert "bijgewerkt" not in block
    assert "Nieuw: 1 gezin." in text
