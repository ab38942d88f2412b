"""The service on a real database: every update once, every answer kept, each school its own."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.messages.incoming import ButtonPressed
from bot.storage.models import OutboxMessage, Parent, ParentSession, Response, Staff
from tests.integration.service_world import SCHOOLS, World, build_world

PARENT, OTHER_PARENT, STAFF_A, STAFF_B = 501, 502, 601, 602


def walk_to_the_end(world: World, user: int) -> None:
    """Answer the default flow after consent, as a parent who arrived by a school link."""
    world.press(user, "Groep 6")
    world.press(user, "Tablet")
    world.press(user, "Klaar")
    world.press(user, "Nee")  # the tablet is not shared
    world.press(user, "Alleen internet op de telefoon")
    world.press(user, "Nee")  # nobody can help at home
    world.press(user, "Wij lezen of spreken weinig Nederlands")
    world.press(user, "Klaar")
    world.press(user, "Een laptop of tablet lenen")
    world.press(user, "Klaar")
    world.say(user, "Mijn zoon heeft geen bureau.")
    world.press(user, "Bel mij op")
    world.say(user, "06 12345678")
    world.press(user, "Ja")  # call soon
    world.press(user, "Alles klopt, versturen")


def join(world: World, user: int, school: str) -> None:
    """Arrive by a school's link, pick Dutch and take part."""
    world.say(user, f"/start {school}")
    world.press(user, "Nederlands")
    world.press(user, "Ja, ik doe mee")


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_a_parent_from_a_school_link_completes_the_flow(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    picker = world.say(PARENT, "/start 16AH00")[-1]
    assert "Kies uw taal." in picker.text
    assert picker.buttons[0][0].text == "✓ Nederlands"  # Telegram reported nl
    world.press(PARENT, "Nederlands")
    assert "Wilt u meedoen?" in world.last_text(PARENT)
    world.press(PARENT, "Ja, ik doe mee")
    assert "In welke groep of klas" in world.last_text(PARENT)  # the school came from the link
    walk_to_the_end(world, PARENT)
    assert "nog een kind" in world.last_text(PARENT)
    with sessions() as db:
        response = db.scalars(select(Response)).one()
    assert response.school_code == "16AH00"
    assert response.language == "nl"
    assert response.answers["devices"] == ["tablet"]
    assert response.answers["internet"] == "mobile_only"
    assert response.answers["phone"] == "+31612345678"
    assert response.answers["remarks"] == "Mijn zoon heeft geen bureau."


def test_every_answer_is_stored_when_it_is_given(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    join(world, PARENT, "16AH00")
    world.press(PARENT, "Groep 3")
    with sessions() as db:
        session = db.scalars(select(ParentSession)).one()
    assert session.status == "active"
    assert session.state["answers"] == {"consent": "yes", "school": "16AH00", "grade": "groep_3"}


def test_a_duplicated_update_takes_effect_once(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    world.say(PARENT, "/start 16AH00")
    world.press(PARENT, "Nederlands")
    data = world.button(PARENT, "Ja, ik doe mee")
    first = world.act(PARENT, ButtonPressed(data, 1, "cb"), update_id=77)
    again = world.act(PARENT, ButtonPressed(data, 1, "cb"), update_id=77)
    assert first
    assert again == []
    with sessions() as db:
        session = db.scalars(select(ParentSession)).one()
    assert session.state["answers"] == {"consent": "yes", "school": "16AH00"}


def test_a_stale_button_gets_a_polite_answer_and_changes_nothing(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    join(world, PARENT, "16AH00")
    world.press(PARENT, "Groep 3")
    # Press a button of the earlier group question again.
    grade = next(r for r in world.sent[PARENT] if "In welke groep" in r.text)
    data = next(b.data for row in grade.buttons for b in row if b.text == "Groep 5")
    replies = world.act(PARENT, ButtonPressed(data, 1, "cb-old"))
    assert [(r.action, r.text) for r in replies] == [
        ("answer_callback", "Deze vraag is al beantwoord.")
    ]
    with sessions() as db:
        session = db.scalars(select(ParentSession)).one()
    assert session.state["answers"]["grade"] == "groep_3"


def test_declining_consent_stores_no_answers(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    world.say(PARENT, "/start 16AH00")
    world.press(PARENT, "Nederlands")
    world.press(PARENT, "Nee, liever niet")
    assert "Wij hebben niets bewaard" in world.last_text(PARENT)
    with sessions() as db:
        session = db.scalars(select(ParentSession)).one()
    assert session.status == "declined"
    assert session.state["answers"] == {}
    assert count(sessions, Response) == 0


def test_delete_erases_everything_after_confirmation(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    join(world, PARENT, "16AH00")
    walk_to_the_end(world, PARENT)
    world.say(PARENT, "/delete")
    world.press(PARENT, "Nee, niet wissen")
    assert count(sessions, Response) == 1
    world.say(PARENT, "/delete")
    world.press(PARENT, "Ja, wis alles")
    assert "Alles is gewist" in world.last_text(PARENT)
    assert count(sessions, Parent) == 0
    assert count(sessions, ParentSession) == 0
    assert count(sessions, Response) == 0
    with sessions() as db:
        owners = db.scalars(select(OutboxMessage.parent_id)).all()
    assert set(owners) == {None}  # only the goodbye is left to send, linked to nobody


def test_staff_see_their_own_school_and_never_another(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    for user, school in ((PARENT, "16AH00"), (OTHER_PARENT, "17BX01")):
        join(world, user, school)
        walk_to_the_end(world, user)
    world.say(STAFF_A, f"/start staff-{SCHOOLS[0][3]}")
    assert "De Regenboog" in world.last_text(STAFF_A)
    world.say(STAFF_B, f"/start staff-{SCHOOLS[1][3]}")
    with sessions() as db:
        assert {(s.telegram_user_id, s.school_code) for s in db.scalars(select(Staff))} == {
            (STAFF_A, "16AH00"),
            (STAFF_B, "17BX01"),
        }
        ids = {r.school_code: r.id for r in db.scalars(select(Response))}
    seen_by_a = world.say(STAFF_A, "/responses")[0].text
    seen_by_b = world.say(STAFF_B, "/responses")[0].text
    assert f"#{ids['16AH00']} " in seen_by_a
    assert f"#{ids['17BX01']} " not in seen_by_a
    assert f"#{ids['17BX01']} " in seen_by_b
    assert f"#{ids['16AH00']} " not in seen_by_b
    assert "Internet: Alleen internet op de telefoon" in seen_by_a


def test_a_parent_cannot_see_responses(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    world.say(PARENT, "/start")
    world.press(PARENT, "Nederlands")
    assert world.say(PARENT, "/responses")[-1].text == "Dat commando ken ik niet. Typ /help."


def test_an_invalid_staff_link_is_refused(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    world.say(STAFF_A, "/start staff-not-a-real-token")
    assert "niet (meer) geldig" in world.last_text(STAFF_A)
    assert count(sessions, Staff) == 0


def test_another_child_at_the_same_school_skips_the_family_questions(
    sessions: sessionmaker[Session],
) -> None:
    world = build_world(sessions)
    join(world, PARENT, "16AH00")
    walk_to_the_end(world, PARENT)
    world.press(PARENT, "Nog een kind op De Regenboog")
    asked = []
    for label in ("Klas 2", "Laptop of computer", "Klaar", "Ja", "Ja", "Overslaan", "Overslaan"):
        asked.append(world.last_text(PARENT))
        world.press(PARENT, label)
    assert not any("internet" in text for text in asked)
    assert "Kloppen uw antwoorden?" in world.last_text(PARENT)
    world.press(PARENT, "Alles klopt, versturen")
    with sessions() as db:
        first, second = db.scalars(select(Response).order_by(Response.id)).all()
    assert (first.child_number, second.child_number) == (1, 2)
    assert second.school_code == "16AH00"
    assert second.answers["internet"] == first.answers["internet"] == "mobile_only"
    assert second.answers["phone"] == "+31612345678"
    assert second.answers["grade"] == "klas_2"


def test_another_child_at_another_school_is_routed_there(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    join(world, PARENT, "16AH00")
    walk_to_the_end(world, PARENT)
    world.press(PARENT, "Nog een kind op een andere school")
    assert "Op welke school zit uw kind?" in world.last_text(PARENT)
    world.say(PARENT, "anker zwolle")
    world.press(PARENT, "Het Anker, Zwolle")
    assert "In welke groep" in world.last_text(PARENT)
    for label in ("Groep 1", "Tablet", "Klaar", "Ja", "Ja", "Overslaan", "Overslaan"):
        world.press(PARENT, label)
    world.press(PARENT, "Alles klopt, versturen")
    with sessions() as db:
        schools = [r.school_code for r in db.scalars(select(Response).order_by(Response.id))]
    assert schools == ["16AH00", "17BX01"]


def test_a_school_not_listed_is_kept_for_the_coordinator(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    world.say(PARENT, "/start")
    world.press(PARENT, "Nederlands")
    world.press(PARENT, "Ja, ik doe mee")
    world.say(PARENT, "Basisschool Nergenshuizen")
    world.press(PARENT, "Mijn school staat er niet bij")
    for label in ("Groep 1", "Tablet", "Klaar", "Ja", "Goed", "Ja", "Overslaan", "Overslaan"):
        world.press(PARENT, label)
    world.press(PARENT, "Via deze chat")
    world.press(PARENT, "Alles klopt, versturen")
    with sessions() as db:
        response = db.scalars(select(Response)).one()
    assert response.school_code is None
    assert response.school_query == "Basisschool Nergenshuizen"


def test_language_can_change_mid_flow(sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    join(world, PARENT, "16AH00")
    world.say(PARENT, "/language")
    world.press(PARENT, "العربية")
    assert world.last_text(PARENT).startswith("السؤال 2 من")
    world.press(PARENT, "المجموعة 4")
    with sessions() as db:
        session = db.scalars(select(ParentSession)).one()
    assert session.state["answers"]["grade"] == "groep_4"
    assert session.state["language"] == "ar"


def test_a_sticker_gets_a_short_answer_in_the_parents_language(
    sessions: sessionmaker[Session],
) -> None:
    from bot.messages.incoming import Unsupported

    world = build_world(sessions)
    world.say(PARENT, "/start")
    world.press(PARENT, "Türkçe")
    replies = world.act(PARENT, Unsupported("sticker"))
    assert replies[-1].text
    assert (
        replies[-1].text
        != "Ik kan alleen tekst en knoppen lezen. Tik op een knop of typ uw antwoord."
    )


def test_two_workers_taking_the_same_update_apply_it_once(sessions: sessionmaker[Session]) -> None:
    """Workers sharing one database race on a redelivered update: one wins, one does nothing."""
    import threading

    first = build_world(sessions)
    first.say(PARENT, "/start 16AH00")
    second = build_world(sessions)  # another worker: its own desk, same database
    second.sent = first.sent
    data = first.button(PARENT, "Nederlands")
    results: list[int] = []
    start = threading.Barrier(2)

    def take(world: World) -> None:
        start.wait()
        results.append(len(world.act(PARENT, ButtonPressed(data, 1, "cb"), update_id=4242)))

    threads = [threading.Thread(target=take, args=(w,)) for w in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results)[0] == 0
    assert sorted(results)[1] > 0
    with sessions() as db:
        assert db.scalars(select(Parent.language)).all() == ["nl"]
        assert len(db.scalars(select(ParentSession)).all()) == 1
