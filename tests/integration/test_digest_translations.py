"""A parent's own words reach the school's digest: the original, and its translation if any."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.digests.composer import Composer
from bot.digests.rounds import DigestRounds
from bot.i18n.localizer import Localizers
from bot.settings import PROJECT_DIR
from bot.storage.models import School, Translation
from bot.storage.unit import Transactions
from bot.translation.argos import ArgosTranslator
from bot.translation.requests import StoredTranslations
from tests.fakes.clock import FakeClock, amsterdam
from tests.integration.service_world import World, build_world
from tests.integration.test_translations import REMARK, background, remark_in_arabic

PARENT, STAFF = 711, 611


def digest_of(world: World) -> str:
    clock = FakeClock(amsterdam(2026, 12, 7, 16, 0))
    localizers = Localizers(PROJECT_DIR / "locales")
    composer = Composer(world.registry, localizers, clock, StoredTranslations())
    rounds = DigestRounds(Transactions(world.sessions), composer, clock, open_days=7, mail=False)
    return rounds.preview("16AH00")


def remark_translated_by(sessions: sessionmaker[Session], adapter: ArgosTranslator) -> World:
    """A school's staff joined; an Arabic parent answered with a remark, and it was worked on."""
    worker = background(sessions, adapter, adapter.packages_dir)
    world = build_world(sessions, translator=worker)
    world.say(STAFF, "/start staff-token-regenboog-16ah00-aaaaaaaaaaaa")
    worker.start()
    try:
        remark_in_arabic(world, PARENT)
        assert worker.wait_idle(30)
    finally:
        worker.stop()
    return world


def test_an_arabic_remark_reaches_the_digest_in_dutch_beside_the_original(
    sessions: sessionmaker[Session],
    argos_files: dict[str, Path],
    tmp_path: Path,
    no_network: list[object],
) -> None:
    adapter = ArgosTranslator(tmp_path / "packages")
    adapter.install(argos_files["ar-en"])
    adapter.install(argos_files["en-nl"])
    world = remark_translated_by(sessions, adapter)
    with sessions() as db:
        translated = db.scalars(select(Translation.text)).one()
    assert translated
    digest = digest_of(world)
    assert REMARK in digest
    assert translated.strip() in digest
    assert "(niet vertaald)" not in digest
    assert no_network == []


def test_with_no_package_the_digest_shows_the_remark_marked_untranslated(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    nothing_installed = ArgosTranslator(tmp_path / "packages")
    digest = digest_of(remark_translated_by(sessions, nothing_installed))
    assert REMARK in digest
    assert "(niet vertaald)" in digest


def test_the_remark_is_translated_into_the_schools_digest_language(
    sessions: sessionmaker[Session], argos_files: dict[str, Path], tmp_path: Path
) -> None:
    adapter = ArgosTranslator(tmp_path / "packages")
    adapter.install(argos_files["ar-en"])
    build_world(sessions)  # the schools
    with sessions.begin() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        school.digest_language = "en"
    remark_translated_by(sessions, adapter)
    with sessions() as db:
        row = db.scalars(select(Translation)).one()
    assert (row.target_language, row.status, row.package) == ("en", "done", "ar-en@1.0")
