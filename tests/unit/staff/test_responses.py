"""/responses: the newest families of the staff member's own schools, and of no other."""

from __future__ import annotations

from bot.staff.school_staff import RECENT
from tests.unit.staff.world import (
    HERE,
    NOW,
    OTHER_TEACHER,
    STRANGER,
    TEACHER,
    THERE,
    build,
    responses_command,
)


def test_staff_see_their_own_school_s_families_with_their_answers() -> None:
    world = build()
    family = world.family(HERE, grade="6", devices=["tablet"])

    texts = world.responses(TEACHER)

    assert len(texts) == 1
    header, card = texts[0].split("\n\n")
    assert header == "De Regenboog, UTRECHT: 1 nieuwste gezin"
    assert card.startswith(f"#{family.id} · ")
    assert "taal: Nederlands" in card
    assert "Tablet" in card


def test_another_school_s_families_are_never_shown() -> None:
    world = build()
    mine = world.family(HERE, grade="6")
    theirs = world.family(THERE, grade="7")

    texts = world.responses(TEACHER)

    assert f"#{mine.id} · " in texts[0]
    assert all(f"#{theirs.id} · " not in text for text in texts)
    assert all("Het Anker" not in text for text in texts)


def test_each_message_carries_the_families_it_shows_so_an_erase_recalls_it() -> None:
    world = build()
    families = [world.family(HERE, grade="6").id for _ in range(3)]
    incoming = world.incoming(TEACHER, responses_command())

    replies = world.staff.responses(world.uow, incoming).items

    assert sorted(id for reply in replies for id in reply.carrying) == families


def test_a_school_without_answers_says_so() -> None:
    world = build()
    world.family(HERE, grade="6")

    assert world.responses(OTHER_TEACHER) == ["Het Anker, ZWOLLE: nog geen antwoorden."]


def test_only_the_most_recent_families_are_listed() -> None:
    world = build()
    for _ in range(RECENT + 5):
        world.family(HERE, grade="6")

    texts = world.responses(TEACHER)

    assert texts[0].startswith(f"De Regenboog, UTRECHT: {RECENT} nieuwste gezinnen")
    assert "#1 · " not in "\n".join(texts)


def test_revoked_staff_and_strangers_are_not_staff() -> None:
    world = build()
    member = world.uow.staff.of_school(HERE, TEACHER)
    assert member is not None
    member.revoked_at = NOW
    world.family(HERE, grade="6")

    assert not world.staff.is_staff(world.uow, TEACHER)
    assert not world.staff.is_staff(world.uow, STRANGER)
    assert world.responses(TEACHER) == []
