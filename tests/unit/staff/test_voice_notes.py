"""The play button under a digest: only active staff of the family's school hear the note."""

from __future__ import annotations

from bot.engine.answers import voice_answer
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import PlayVoice, decode, encode
from bot.messages.replies import Replies
from bot.outbox.recall import delete_played
from bot.settings import PROJECT_DIR
from bot.staff.voice_notes import VoicePlays
from tests.unit.staff.world import (
    HERE,
    OTHER_TEACHER,
    STRANGER,
    TEACHER,
    StaffWorld,
    build,
    pressed,
)

NOTE = "AwACAgIAAxkBAAIBW2dVoiceNoteOfAParent"


def press(world: StaffWorld, user_id: int, response_id: int, step_id: str = "remarks") -> Replies:
    data = encode(PlayVoice(response_id, step_id))
    button = decode(data)
    assert isinstance(button, PlayVoice)
    plays = VoicePlays(Localizers(PROJECT_DIR / "locales"))
    return plays.press(world.uow, world.incoming(user_id, pressed(data)), button)


def played(replies: Replies) -> list[str | None]:
    return [r.file_id for r in replies.items if r.action == "voice"]


def popup(replies: Replies) -> str:
    (answer,) = [r for r in replies.items if r.action == "answer_callback"]
    return answer.text


def test_staff_of_the_family_s_school_get_the_voice_note_by_its_file_id() -> None:
    world = build()
    family = world.family(HERE, remarks=voice_answer(NOTE))

    replies = press(world, TEACHER, family.id)

    assert played(replies) == [NOTE]
    (note,) = [r for r in replies.items if r.action == "voice"]
    assert note.carrying == (family.id,)  # erasing the family recalls it while unsent
    assert popup(replies) == ""


def test_anyone_else_gets_one_answer_whatever_the_family() -> None:
    world = build()
    family = world.family(HERE, remarks=voice_answer(NOTE))
    typed = world.family(HERE, remarks="Wij hebben geen printer.")

    answers = {
        popup(press(world, OTHER_TEACHER, family.id)),
        popup(press(world, STRANGER, family.id)),
        popup(press(world, TEACHER, 999)),  # no such family
        popup(press(world, TEACHER, typed.id)),  # a typed remark is no voice note
        popup(press(world, TEACHER, family.id, "grade")),  # another step of the family
    }

    assert answers == {"Dit spraakbericht is er niet (meer)."}
    for user_id, response_id in ((OTHER_TEACHER, family.id), (STRANGER, family.id)):
        assert played(press(world, user_id, response_id)) == []


def test_a_revoked_member_hears_nothing() -> None:
    world = build()
    family = world.family(HERE, remarks=voice_answer(NOTE))
    member = world.uow.staff.of_school(HERE, TEACHER)
    assert member is not None
    member.revoked_at = member.joined_at

    assert played(press(world, TEACHER, family.id)) == []


def test_erasing_a_family_deletes_the_copies_played_to_staff_and_only_theirs() -> None:
    world = build()
    family = world.family(HERE, remarks=voice_answer(NOTE))
    other = world.family(HERE, remarks=voice_answer(NOTE + "2"))
    world.uow.recalls.keep_copy((family.id,), TEACHER, 41)
    world.uow.recalls.keep_copy((family.id,), OTHER_TEACHER, 42)
    world.uow.recalls.keep_copy((other.id,), TEACHER, 43)

    queued = delete_played(world.uow, [family.id])

    assert sorted((q.chat_id, q.reply.action, q.reply.message_id) for q in queued) == [
        (TEACHER, "delete", 41),
        (OTHER_TEACHER, "delete", 42),
    ]
    assert delete_played(world.uow, [family.id]) == []  # each copy is deleted once
    assert [q.reply.message_id for q in delete_played(world.uow, [other.id])] == [43]
