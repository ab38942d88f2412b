"""Parents' free text translated in the background, stored beside the original, offline."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.i18n.localizer import Localizers
from bot.messages.incoming import ButtonPressed
from bot.settings import PROJECT_DIR
from bot.storage.models import ParentSession, Response, School, Translation
from bot.storage.repositories.translations import SqlTranslations
from bot.storage.unit import Transactions
from bot.translation.argos import ArgosTranslator, installed_signature
from bot.translation.ports import Translated
from bot.translation.requests import Job
from bot.translation.worker import BackgroundTranslator
from tests.integration.service_world import World, build_world

PARENT, OTHER = 701, 702
REMARK = "ليس لدينا حاسوب في البيت. هل يمكن للمدرسة أن تساعد؟"


class Counting:
    """A translator that counts the texts it was asked for, then asks the real one."""

    def __init__(self, inner: ArgosTranslator) -> None:
        self.inner = inner
        self.asked: list[str] = []

    def translate(self, text: str, source: str, target: str) -> Translated:
        self.asked.append(text)
        return self.inner.translate(text, source, target)


@pytest.fixture
def argos_dir(tmp_path: Path) -> Path:
    return tmp_path / "packages"


@pytest.fixture
def installed(argos_dir: Path, argos_files: dict[str, Path]) -> ArgosTranslator:
    """Arabic → English → Dutch installed."""
    adapter = ArgosTranslator(argos_dir)
    adapter.install(argos_files["ar-en"])
    adapter.install(argos_files["en-nl"])
    return adapter


def background(
    sessions: sessionmaker[Session], translator: object, folder: Path, **options: object
) -> BackgroundTranslator:
    return BackgroundTranslator(
        Transactions(sessions),
        translator,  # type: ignore[arg-type]
        sweep_seconds=0.2,
        packages=lambda: installed_signature(folder),
        **options,  # type: ignore[arg-type]
    )


def pick(world: World, user: int, key: str) -> None:
    """Press the newest button that gives this choice key or flow command, in any language."""
    for reply in reversed(world.sent.get(user, [])):
        for row in reply.buttons:
            for button in row:
                kind, _, rest = button.data.partition(":")
                if kind in ("c", "k") and rest.split(":")[1] == key:
                    world.act(user, ButtonPressed(button.data, 1, "cb"))
                    return
    raise AssertionError(f"no button for {key!r}")


def remark_in_arabic(world: World, user: int, remark: str = REMARK) -> None:
    """Walk the default flow in Arabic by a school link, typing a remark, and send it."""
    world.say(user, "/start 16AH00")
    world.press(user, "العربية")
    for key in ("yes", "groep_6", "tablet", "done", "no", "mobile_only", "yes"):
        pick(world, user, key)
    for key in ("device_loan", "done"):
        pick(world, user, key)
    world.say(user, remark)
    for key in ("chat", "no", "confirm"):
        pick(world, user, key)


def eventually(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    """Wait until the condition holds (the worker runs in its own thread)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def rows(sessions: sessionmaker[Session]) -> list[Translation]:
    with sessions() as db:
        return list(db.scalars(select(Translation).order_by(Translation.id)))


def session_ids(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as db:
        return list(db.scalars(select(Response.session_id)))


def test_an_arabic_remark_reaches_the_school_in_dutch_beside_the_original(
    sessions: sessionmaker[Session], installed: ArgosTranslator, no_network: list[object]
) -> None:
    worker = background(sessions, installed, installed.packages_dir)
    world = build_world(sessions, translator=worker)
    worker.start()
    try:
        remark_in_arabic(world, PARENT)
        assert worker.wait_idle(30)
    finally:
        worker.stop()
    [row] = rows(sessions)
    assert (row.step_id, row.source_language, row.target_language) == ("remarks", "ar", "nl")
    assert (row.status, row.package, row.last_error) == ("done", "ar-en@1.0+en-nl@1.0", None)
    with sessions() as db:
        response = db.scalars(select(Response)).one()
        found = SqlTranslations(db).for_sessions([response.session_id], "nl")
    assert response.answers["remarks"] == REMARK  # the original is kept as it was
    assert found == {(response.session_id, "remarks"): row.text}
    assert row.text
    assert row.text != REMARK
    assert no_network == []


def test_with_no_package_the_remark_stays_untranslated_until_one_is_installed(
    sessions: sessionmaker[Session], argos_dir: Path, argos_files: dict[str, Path]
) -> None:
    adapter = ArgosTranslator(argos_dir)
    worker = background(sessions, adapter, argos_dir)
    world = build_world(sessions, translator=worker)
    worker.start()
    try:
        remark_in_arabic(world, PARENT)
        assert worker.wait_idle(30)
        [row] = rows(sessions)
        assert (row.status, row.last_error, row.text) == (
            "untranslated",
            "PairNotInstalledError",
            None,
        )
        with sessions() as db:
            assert SqlTranslations(db).for_sessions(session_ids(sessions), "nl") == {}
        # Installed while the bot runs (as `ouderbrug translate install` does): the sweep
        # notices the new package and tries again.
        ArgosTranslator(argos_dir).install(argos_files["ar-en"])
        ArgosTranslator(argos_dir).install(argos_files["en-nl"])
        eventually(lambda: rows(sessions)[0].status == "done")
    finally:
        worker.stop()
    assert rows(sessions)[0].status == "done"
    assert rows(sessions)[0].package == "ar-en@1.0+en-nl@1.0"


def test_without_the_translate_extra_the_remark_is_kept_and_marked_untranslated(
    sessions: sessionmaker[Session], argos_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    worker = background(sessions, ArgosTranslator(argos_dir), argos_dir)
    world = build_world(sessions, translator=worker)
    remark_in_arabic(world, PARENT)
    worker.translate_one(Job(session_ids(sessions)[0], "remarks", "nl"))
    [row] = rows(sessions)
    assert (row.status, row.last_error) == ("untranslated", "TranslationUnavailableError")
    with sessions() as db:
        assert db.scalars(select(Response)).one().answers["remarks"] == REMARK


def test_a_full_queue_never_blocks_and_the_sweep_takes_up_what_it_dropped(
    sessions: sessionmaker[Session], installed: ArgosTranslator
) -> None:
    worker = background(sessions, installed, installed.packages_dir, capacity=1)
    world = build_world(sessions, translator=worker)
    remark_in_arabic(world, PARENT)
    remark_in_arabic(world, OTHER, "شكرا جزيلا.")  # the queue holds one: this one waits
    assert [r.status for r in rows(sessions)] == ["pending", "pending"]
    worker.start()
    try:
        eventually(lambda: all(r.status == "done" for r in rows(sessions)))
    finally:
        worker.stop()
    assert [r.status for r in rows(sessions)] == ["done", "done"]


def test_the_same_text_is_translated_once(
    sessions: sessionmaker[Session], installed: ArgosTranslator
) -> None:
    counting = Counting(installed)
    worker = background(sessions, counting, installed.packages_dir)
    world = build_world(sessions, translator=worker)
    worker.start()
    try:
        remark_in_arabic(world, PARENT)
        assert worker.wait_idle(30)
        remark_in_arabic(world, OTHER)
        assert worker.wait_idle(30)
    finally:
        worker.stop()
    first, second = rows(sessions)
    assert counting.asked == [REMARK]
    assert (second.status, second.text, second.package) == ("done", first.text, first.package)


def test_a_changed_answer_is_not_shown_with_the_old_translation(
    sessions: sessionmaker[Session], installed: ArgosTranslator
) -> None:
    worker = background(sessions, installed, installed.packages_dir)
    world = build_world(sessions, translator=worker)
    remark_in_arabic(world, PARENT)
    [session_id] = session_ids(sessions)
    worker.translate_one(Job(session_id, "remarks", "nl"))
    with sessions.begin() as db:
        response = db.scalars(select(Response)).one()
        response.answers = {**response.answers, "remarks": "نص آخر"}
    with sessions() as db:
        assert SqlTranslations(db).for_sessions([session_id], "nl") == {}


def test_the_target_language_is_the_one_the_parents_school_reads(
    sessions: sessionmaker[Session], installed: ArgosTranslator
) -> None:
    world = build_world(sessions)
    with sessions.begin() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        school.digest_language = "en"
    remark_in_arabic(world, PARENT)
    [row] = rows(sessions)
    assert row.target_language == "en"


def test_erasing_a_parent_erases_their_translations(
    sessions: sessionmaker[Session], installed: ArgosTranslator
) -> None:
    worker = background(sessions, installed, installed.packages_dir)
    world = build_world(sessions, translator=worker)
    remark_in_arabic(world, PARENT)
    remark_in_arabic(world, OTHER)
    world.say(PARENT, "/delete")
    world.press(PARENT, Localizers(PROJECT_DIR / "locales").get("ar").gettext("Ja, wis alles"))
    assert len(rows(sessions)) == 1
    # The database cascades too, for a session removed by any other way.
    with sessions.begin() as db:
        db.execute(delete(ParentSession))
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(Translation)) == 0


class Slow:
    """A translator that takes a known while, so the worker's rest after it is long."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def translate(self, text: str, source: str, target: str) -> Translated:
        self.asked.append(text)
        time.sleep(0.05)
        return Translated(text.upper(), "slow@1")


def test_the_worker_rests_after_each_answer_and_still_stops_at_once(
    sessions: sessionmaker[Session], argos_dir: Path
) -> None:
    slow = Slow()
    # A hundredth of its time: after a job of 0.05 s it rests about 5 s.
    worker = background(sessions, slow, argos_dir, share=0.01)
    world = build_world(sessions, translator=worker)
    remark_in_arabic(world, PARENT)
    remark_in_arabic(world, OTHER, "شكرا جزيلا.")
    worker.start()
    eventually(lambda: len(slow.asked) == 1)
    time.sleep(0.5)
    assert len(slow.asked) == 1  # resting, not working through the queue
    started = time.monotonic()
    worker.stop()
    assert time.monotonic() - started < 2  # the rest ends when the bot stops
    assert sorted(r.status for r in rows(sessions)) == ["done", "pending"]
