"""The coordinator's digest commands: schools set, digest preview and send, followup list."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Digest, School
from tests.conftest import CliResult
from tests.fakes import FakeBotAPI
from tests.integration.digest_world import STAFF_A, build_digest_world


@pytest.fixture
def world_sessions(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    return sessions


def test_schools_set_changes_schedule_language_and_addresses(
    ouderbrug: Callable[..., CliResult], world_sessions: sessionmaker[Session]
) -> None:
    build_digest_world(world_sessions)
    result = ouderbrug(
        "schools", "set", "16AH00", "--digest-schedule", "ma-vr 16:00",
        "--digest-language", "en", "--email", "ib@regenboog.example",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "digest schedule: mon-fri 16:00" in result.out
    assert "digest language: en" in result.out
    with world_sessions() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        assert school.digest_emails == ["ib@regenboog.example"]
        assert school.digest_due_at is not None


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (("--digest-schedule", "weekdays 3pm"), "are not days"),
        (("--digest-language", "xx-nope-1"), "not a language code"),
        (
            ("--digest-schedule", "daily " + ",".join(f"{h:02}:00,{h:02}:30" for h in range(24))),
            "That schedule is 289 characters written out; at most 100 fit",
        ),
        (("--email", "ib-at-regenboog"), "Not an e-mail address: ib-at-regenboog."),
        (("--email", "ib@regenboog"), "Not an e-mail address"),
        (("--email", "ib@regenboog..nl"), "Not an e-mail address"),
        (("--email", "ib@-regenboog.nl"), "Not an e-mail address"),
        (("--email", "i b@regenboog.nl"), "Not an e-mail address"),
        (("--email", "<ib@regenboog.nl>"), "Not an e-mail address"),
        (("--email", "ib@regenboog.nl\x00"), "Not an e-mail address"),
        (("--email", ".ib@regenboog.nl"), "Not an e-mail address"),
        (("--email", "ib@regenboog.n1"), "Not an e-mail address"),
        (("--email", "x" * 65 + "@regenboog.nl"), "Not an e-mail address"),
        (
            ("--email", "ib@regenboog.nl", "--email", "IB@Regenboog.NL"),
            "IB@Regenboog.NL is given twice: give each address once.",
        ),
    ],
)
def test_schools_set_refuses_bad_values_and_changes_nothing(
    ouderbrug: Callable[..., CliResult],
    world_sessions: sessionmaker[Session],
    arguments: tuple[str, ...],
    says: str,
) -> None:
    build_digest_world(world_sessions)
    with world_sessions() as db:
        before = db.get(School, "16AH00")
        assert before is not None
    result = ouderbrug("schools", "set", "16AH00", *arguments)
    assert result.code == 1
    assert says in result.err
    assert "Nothing changed." in result.err
    with world_sessions() as db:
        after = db.get(School, "16AH00")
        assert after is not None
        assert after.digest_emails == before.digest_emails


def test_schools_set_accepts_ordinary_addresses(
    ouderbrug: Callable[..., CliResult], world_sessions: sessionmaker[Session]
) -> None:
    build_digest_world(world_sessions)
    addresses = ["ib@regenboog.nl", "j.de-vries+ouders@school.bestuur.example", "o'neil@a.co"]
    result = ouderbrug(
        "schools", "set", "16AH00", *(part for a in addresses for part in ("--email", a))
    )
    assert result.code == 0, result.err
    with world_sessions() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        assert school.digest_emails == addresses


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBotAPI]:
    """Serve a fake Bot API and point the command line at it with the right token."""
    with FakeBotAPI() as fake:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake.base_url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        yield fake


def digests(sessions: sessionmaker[Session]) -> int:
    with sessions() as db:
        return db.scalar(select(func.count()).select_from(Digest)) or 0


@pytest.mark.parametrize("token", [None, "", "   "])
def test_send_without_a_token_says_so_before_making_anything(
    ouderbrug: Callable[..., CliResult],
    world_sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    token: str | None,
) -> None:
    world = build_digest_world(world_sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    if token is None:
        monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    else:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)

    sent = ouderbrug("digest", "send", "16AH00")

    assert sent.code == 1
    assert sent.out == ""
    assert sent.err.startswith("TELEGRAM_BOT_TOKEN is not set")
    assert sent.err.endswith("Nothing was sent.\n")
    assert "Traceback" not in sent.err
    assert digests(world_sessions) == 0
    assert "Gezin 1" in ouderbrug("digest", "preview", "16AH00").out


@pytest.mark.usefixtures("api")
def test_send_with_a_token_telegram_refuses_says_so_before_making_anything(
    ouderbrug: Callable[..., CliResult],
    world_sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = build_digest_world(world_sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:not-the-token")

    sent = ouderbrug("digest", "send", "16AH00")

    assert (sent.code, sent.out) == (1, "")
    assert sent.err.startswith("Telegram refused TELEGRAM_BOT_TOKEN.")
    assert digests(world_sessions) == 0


def test_send_delivers_the_digest_to_the_staff_chat(
    ouderbrug: Callable[..., CliResult], world_sessions: sessionmaker[Session], api: FakeBotAPI
) -> None:
    world = build_digest_world(world_sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)

    sent = ouderbrug("digest", "send", "16AH00")

    assert sent.code == 0, sent.err
    assert "1 new family," in sent.out
    assert any("Gezin 1" in (message.text or "") for message in api.messages(STAFF_A))
    assert digests(world_sessions) == 1


@pytest.mark.usefixtures("api")
def test_preview_send_and_followup_list(
    ouderbrug: Callable[..., CliResult], world_sessions: sessionmaker[Session]
) -> None:
    world = build_digest_world(world_sessions)
    world.staff_joins(STAFF_A)
    world.calm_family(501)
    preview = ouderbrug("digest", "preview", "16AH00")
    assert preview.code == 0
    assert "Gezin 1 · Groep 4" in preview.out
    assert "not yet" in ouderbrug("followup", "list").out
    sent = ouderbrug("digest", "send", "16AH00")
    assert sent.code == 0, sent.err
    assert "1 new family," in sent.out
    listing = ouderbrug("followup", "list", "--school", "16AH00")
    assert "16AH00" in listing.out
    assert "open" in listing.out
    assert "not yet" not in listing.out
    assert "Nothing to send" in ouderbrug("digest", "send", "16AH00").out
    assert ouderbrug("digest", "preview", "99ZZ99").code == 1
