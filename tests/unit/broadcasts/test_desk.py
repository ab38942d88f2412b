"""Staff's /bericht on the fake unit of work: own school only, one refusal for the rest."""

from __future__ import annotations

from datetime import timedelta

from bot.broadcasts.desk import BroadcastDesk
from bot.digests.needs import needs_of
from bot.flowfiles.loader import load_flow
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import BroadcastChoice, decode
from bot.messages.incoming import BotCommand, CommandSent, Typed
from bot.settings import PROJECT_DIR
from bot.storage.models import Response
from tests.unit.staff.world import (
    HERE,
    OTHER_TEACHER,
    STRANGER,
    TEACHER,
    THERE,
    StaffWorld,
    build,
    pressed,
)

REFUSED = "Dit bericht kunt u niet (meer) versturen."

DEFAULT = load_flow(PROJECT_DIR / "flows" / "thuissituatie.yaml").flow


def desk() -> BroadcastDesk:
    return BroadcastDesk(
        Localizers(PROJECT_DIR / "locales").get("nl"),
        lambda flow, answers: needs_of(DEFAULT, answers),
    )


def families(world: StaffWorld, school: str, count: int, **answers: object) -> None:
    for number in range(count):
        parent_id = 100 * (1 if school == HERE else 2) + number + len(world.uow.parents.responses)
        response = Response(parent_id=parent_id, school_code=school, flow_id="f", answers=answers)
        world.uow.parents.responses.append(response)


def drafted(
    world: StaffWorld, user_id: int, text: str, need: str = ""
) -> tuple[list[str], BroadcastChoice]:
    """Send /bericht and the text; return what the desk said and the send button's press."""
    said = []
    items = []
    for action in (CommandSent(BotCommand.BERICHT, need), Typed(text)):
        replies = desk().handle(world.uow, world.incoming(user_id, action))
        assert replies is not None
        items = replies.items
        said += [r.text for r in items]
    [reply] = items
    send = decode(reply.buttons[0][0].data)
    assert isinstance(send, BroadcastChoice)
    return said, send


def test_staff_are_asked_for_the_text_then_shown_their_own_schools_count() -> None:
    world = build()
    families(world, HERE, 3)
    families(world, THERE, 5)

    said, send = drafted(world, TEACHER, "  Dinsdag vrij.  ")

    assert said[0].startswith("Typ het bericht voor alle gezinnen van De Regenboog.")
    assert said[1] == "Dit bericht gaat naar 3 gezinnen van De Regenboog:\n\nDinsdag vrij."
    assert send.send
    assert world.uow.broadcasts.stored[send.broadcast_id].school_code == HERE


def test_one_family_reads_in_the_singular() -> None:
    world = build()
    families(world, HERE, 1)

    said, _ = drafted(world, TEACHER, "Hallo")

    assert said[1].startswith("Dit bericht gaat naar 1 gezin van De Regenboog:")


def test_only_the_drafts_own_author_can_send_it_and_only_once() -> None:
    world = build()
    families(world, HERE, 2)
    _, send = drafted(world, TEACHER, "Hallo")
    data = f"bc:send:{send.broadcast_id}"

    for user_id in (OTHER_TEACHER, STRANGER):
        refused = desk().press(world.uow, world.incoming(user_id, pressed(data)), send)
        assert [r.text for r in refused.items] == [REFUSED]
    assert world.uow.broadcasts.stored[send.broadcast_id].status == "ready"

    sent = desk().press(world.uow, world.incoming(TEACHER, pressed(data)), send)
    assert [r.action for r in sent.items] == ["answer_callback", "edit_markup", "send"]
    assert sent.items[-1].text == "Het bericht wordt verstuurd aan 2 gezinnen."
    assert world.uow.broadcasts.stored[send.broadcast_id].status == "sending"
    again = desk().press(world.uow, world.incoming(TEACHER, pressed(data)), send)
    assert [r.text for r in again.items] == [REFUSED]


def test_a_forged_id_gets_the_same_refusal_as_a_real_one_of_another_school() -> None:
    world = build()
    families(world, THERE, 2)
    _, theirs = drafted(world, OTHER_TEACHER, "Hallo")

    answers = [
        desk().press(world.uow, world.incoming(TEACHER, pressed("x")), choice).items[0].text
        for choice in (theirs, BroadcastChoice(True, 999))
    ]

    assert answers == [REFUSED, REFUSED]


def test_a_revoked_member_cannot_send_what_they_drafted() -> None:
    world = build()
    families(world, HERE, 2)
    _, send = drafted(world, TEACHER, "Hallo")
    world.uow.staff.members[0].revoked_at = world.clock.now()

    refused = desk().press(world.uow, world.incoming(TEACHER, pressed("x")), send)

    assert [r.text for r in refused.items] == [REFUSED]


def test_text_from_someone_without_a_fresh_draft_is_not_the_desks() -> None:
    world = build()
    families(world, HERE, 2)
    assert desk().handle(world.uow, world.incoming(STRANGER, Typed("hallo"))) is None
    assert desk().handle(world.uow, world.incoming(TEACHER, Typed("hallo"))) is None
    desk().handle(world.uow, world.incoming(TEACHER, CommandSent(BotCommand.BERICHT, "")))
    [draft] = world.uow.broadcasts.stored.values()
    draft.created_at -= timedelta(hours=1)

    assert desk().handle(world.uow, world.incoming(TEACHER, Typed("hallo"))) is None


def test_bericht_from_a_parent_is_left_to_the_parents_room() -> None:
    world = build()
    command = CommandSent(BotCommand.BERICHT, "")

    assert desk().handle(world.uow, world.incoming(STRANGER, command)) is None


def test_bericht_with_a_need_counts_only_the_families_who_have_it() -> None:
    world = build()
    families(world, HERE, 2, devices=["none"])
    families(world, HERE, 3, devices=["computer"])

    said, send = drafted(world, TEACHER, "Laptops dinsdag", need="device")

    assert said[1].startswith("Dit bericht gaat naar 2 gezinnen van De Regenboog:")
    assert world.uow.broadcasts.stored[send.broadcast_id].need == "device"


def test_bericht_with_an_unknown_need_names_the_known_ones() -> None:
    world = build()
    families(world, HERE, 2)
    command = CommandSent(BotCommand.BERICHT, "laptop")

    replies = desk().handle(world.uow, world.incoming(TEACHER, command))

    assert replies is not None
    assert [r.text for r in replies.items] == [
        "laptop is geen behoefte die de vragen kennen. Kies uit: device, internet, help, "
        "interpreter, urgent. Of typ alleen /bericht voor alle gezinnen."
    ]
    assert world.uow.broadcasts.stored == {}
