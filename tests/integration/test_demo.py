"""`ouderbrug demo`: real schools, invented families answering through the service."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.demo import SCHOOLS_FILE
from bot.demo.families import FAMILIES, FIRST_SCHOOL
from bot.schools.duo import read_duo
from bot.storage.models import (
    Digest,
    MailMessage,
    OutboxMessage,
    Parent,
    ProcessedUpdate,
    Response,
    School,
)
from tests.conftest import CliResult
from tests.fakes.bot_api import FakeBotAPI
from tests.integration.service_world import build_world
from tests.integration.test_desk import join

Cli = Callable[..., CliResult]
PROJECT = Path(__file__).resolve().parents[2]
CHILDREN = sum(1 + len(family.more_children) for family in FAMILIES)


def count(sessions: sessionmaker[Session], model: type, *where: object) -> int:
    with sessions() as db:
        query = select(func.count()).select_from(model)
        return int(db.scalar(query.where(*where)) or 0)  # type: ignore[arg-type]


def test_the_bundled_extract_is_installed_with_the_package() -> None:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["bot.demo"]

    assert any(fnmatch.fnmatch(SCHOOLS_FILE.name, pattern) for pattern in patterns)


def test_the_bundled_extract_is_real_duo_data_from_two_towns() -> None:
    schools = list(read_duo(SCHOOLS_FILE))

    assert 8 <= len(schools) <= 12
    assert {school.town for school in schools} == {"ARNHEM", "ZWOLLE"}
    assert {family.school for family in FAMILIES} <= {school.code for school in schools}


def test_the_demo_fills_a_digest_with_families_in_several_languages(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    demo = ouderbrug("demo")

    assert demo.code == 0, demo.err
    assert f"{len(FAMILIES)} invented families answered for {CHILDREN} children" in demo.out
    assert "ar, en, nl, pl, tr, uk" in demo.out
    for command in ("digest preview", "followup list --school", "export --school"):
        assert f"ouderbrug {command} {FIRST_SCHOOL}" in demo.out
    preview = ouderbrug("digest", "preview", FIRST_SCHOOL)
    assert preview.code == 0, preview.err
    assert "Kindcentrum De Werf, ARNHEM" in preview.out
    for language in ("Arabisch", "Turks", "Pools", "Oekraïens", "Engels"):
        assert f"Taal van de ouder: {language}" in preview.out
    assert "— Dringend: wil snel gebeld worden —" in preview.out
    assert "ليس لدينا حاسوب" in preview.out  # a parent's own words, as written
    with sessions() as db:
        languages = set(db.scalars(select(Response.language)))
    assert languages == {"nl", "ar", "tr", "pl", "uk", "en"}
    assert count(sessions, Response) == CHILDREN


def test_every_answer_came_through_the_desk_and_nothing_waits_to_be_sent(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    ouderbrug("demo")

    # Each button press and typed answer was an update the desk recorded.
    assert count(sessions, ProcessedUpdate, ProcessedUpdate.update_id < 0) > 10 * CHILDREN
    assert count(sessions, ProcessedUpdate, ProcessedUpdate.update_id > 0) == 0
    assert count(sessions, OutboxMessage) > 0
    # Their chats exist nowhere: a bot started later on this database sends none of it.
    assert count(sessions, OutboxMessage, OutboxMessage.sent_at.is_(None)) == 0


def test_running_it_again_adds_nothing_and_says_so(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    ouderbrug("demo")

    again = ouderbrug("demo")

    assert again.code == 0
    assert f"The {len(FAMILIES)} demo families are here already; nothing was added." in again.out
    assert "ouderbrug demo --reset" in again.out
    assert count(sessions, Parent) == len(FAMILIES)
    assert count(sessions, Response) == CHILDREN


def test_reset_replaces_the_families_and_their_digests(
    ouderbrug: Cli,
    sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    ouderbrug("demo")
    first = ouderbrug("digest", "preview", FIRST_SCHOOL).out
    # A digest by e-mail (to a server that is not there): the families are in a digest now.
    # `digest send` wants a token Telegram accepts, even for a school without staff chats.
    api = FakeBotAPI()
    api.start()
    request.addfinalizer(api.stop)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", api.token)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("SMTP_URL", "smtp://127.0.0.1:9")
    ouderbrug("schools", "set", FIRST_SCHOOL, "--email", "ib@werf.example")
    sent = ouderbrug("digest", "send", FIRST_SCHOOL)
    assert f"Digest 1 of {FIRST_SCHOOL}" in sent.out, sent.err
    assert count(sessions, Digest) == 1

    reset = ouderbrug("demo", "--reset")

    assert reset.code == 0, reset.err
    assert f"Erased {len(FAMILIES)} demo families and their digests." in reset.out
    assert count(sessions, Parent) == len(FAMILIES)
    assert count(sessions, Response) == CHILDREN
    assert (count(sessions, Digest), count(sessions, MailMessage)) == (0, 0)
    # New families again, not "still open" ones of a digest that is gone.
    assert (
        ouderbrug("digest", "preview", FIRST_SCHOOL).out.splitlines()[2:5]
        == (first.splitlines()[2:5])
    )


def test_remove_erases_the_families_and_keeps_the_schools(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    ouderbrug("demo")
    removed = ouderbrug("demo", "--remove")
    assert removed.code == 0
    assert (count(sessions, Parent), count(sessions, Response)) == (0, 0)
    assert count(sessions, School) == len(list(read_duo(SCHOOLS_FILE)))  # schools stay


def test_it_refuses_a_database_with_real_parents(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    world = build_world(sessions)
    join(world, 501, "16AH00")

    for arguments in ((), ("--reset",), ("--remove",)):
        refused = ouderbrug("demo", *arguments)
        assert refused.code == 1
        assert "holds 1 parents that are not the demo's" in refused.err
        assert "never mixes its invented families into real data" in refused.err
    assert count(sessions, Parent) == 1
    assert count(sessions, School, School.code == FIRST_SCHOOL) == 0


def test_it_refuses_a_database_with_staff(ouderbrug: Cli, sessions: sessionmaker[Session]) -> None:
    world = build_world(sessions)
    world.say(601, "/start staff-token-regenboog-16ah00-aaaaaaaaaaaa")

    refused = ouderbrug("demo")

    assert refused.code == 1
    assert "1 staff members" in refused.err
    assert count(sessions, Parent) == 0


def test_a_fresh_checkout_without_a_token_shows_a_digest(tmp_path: Path) -> None:
    """`ouderbrug demo` then `digest preview`, on the embedded database, as a newcomer would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update({"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": "", "PYTHONPATH": str(PROJECT)})

    def ouderbrug_process(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *arguments],
            cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip

    demo = ouderbrug_process("demo")
    preview = ouderbrug_process("digest", "preview", FIRST_SCHOOL)

    assert (demo.returncode, demo.stderr) == (0, "")
    assert (tmp_path / "data" / "ouderbrug.sqlite3").exists()
    assert preview.returncode == 0, preview.stderr
    assert "Nieuw: " in preview.stdout
    assert "Taal van de ouder: Arabisch" in preview.stdout


def test_a_flow_the_families_cannot_answer_is_named_without_a_traceback(
    ouderbrug: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    source = (PROJECT / "flows" / "thuissituatie.yaml").read_text(encoding="utf-8")
    extra = (
        "  - id: siblings\n    kind: number\n    label: Broers en zussen\n"
        "    text: Hoeveel broers en zussen heeft uw kind?\n\n  - id: summary\n"
    )
    (flows / "thuissituatie.yaml").write_text(source.replace("  - id: summary\n", extra))
    # Translated in every language, so that the check lets the question go live.
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT / "locales", locales)
    for catalog in locales.glob("*/LC_MESSAGES/ouderbrug.po"):
        with catalog.open("a", encoding="utf-8") as po:
            for text in ("Broers en zussen", "Hoeveel broers en zussen heeft uw kind?"):
                po.write(f'\nmsgctxt "thuissituatie:siblings"\nmsgid "{text}"\nmsgstr "{text}"\n')
    monkeypatch.setenv("FLOWS_DIR", str(flows))
    monkeypatch.setenv("LOCALES_DIR", str(locales))

    result = ouderbrug("demo")

    assert result.code == 1
    assert "no answer to question 'siblings'" in result.err
    assert "Traceback" not in result.err


def test_an_unreachable_database_is_named_without_a_traceback(
    ouderbrug: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none?connect_timeout=2")

    result = ouderbrug("demo")

    assert result.code == 1
    assert result.err.startswith("Cannot open the database postgresql://nobody@127.0.0.1:9/none")
    assert "Traceback" not in result.err


def test_a_flow_the_check_refuses_is_named_as_such(
    ouderbrug: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    source = (PROJECT / "flows" / "thuissituatie.yaml").read_text(encoding="utf-8")
    # A new question nobody translated yet: the bot would not serve this flow.
    extra = "  - id: siblings\n    kind: number\n    text: Hoeveel broers en zussen?\n\n"
    (flows / "thuissituatie.yaml").write_text(
        source.replace("  - id: summary\n", extra + "  - id: summary\n")
    )
    monkeypatch.setenv("FLOWS_DIR", str(flows))

    result = ouderbrug("demo")

    assert result.code == 1
    assert "does not pass `ouderbrug flows check`" in result.err
    assert "Traceback" not in result.err
