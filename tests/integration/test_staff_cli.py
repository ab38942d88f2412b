"""`ouderbrug staff`: listing who receives each school's families, and revoking them."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import stored
from bot.storage.models import School, Staff
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
JOINED = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)


@pytest.fixture
def team(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Store two schools: one with two staff members, one with one."""
    with sessions.begin() as session:
        session.add_all(
            [
                School(code="16AH00", name="'t Eenspan", town="EMMEN", staff_token="a" * 32),
                School(code="16BX00", name="Mr Vegter", town="EMMEN", staff_token="b" * 32),
            ]
        )
        session.flush()
        session.add_all(
            [
                Staff(school_code="16AH00", telegram_user_id=111, chat_id=111, name="Anna",
                      joined_at=JOINED),
                Staff(school_code="16AH00", telegram_user_id=5_000_000_222, chat_id=222,
                      name="Bram", joined_at=JOINED.replace(hour=10)),
                Staff(school_code="16BX00", telegram_user_id=333, chat_id=333, name="",
                      joined_at=JOINED),
            ]
        )  # fmt: skip
    return sessions


def revoked(sessions: sessionmaker[Session]) -> dict[tuple[str, int], datetime | None]:
    with sessions() as session:
        return {
            (m.school_code, m.telegram_user_id): m.revoked_at
            for m in session.scalars(select(Staff))
        }


def test_list_shows_every_school_s_staff(ouderbrug: Cli, team: sessionmaker[Session]) -> None:
    result = ouderbrug("staff", "list")

    lines = [line.split("  ") for line in result.out.splitlines()]
    cells = [[cell.strip() for cell in line if cell.strip()] for line in lines]
    assert result.code == 0
    assert cells == [
        ["school", "name", "telegram user id", "joined", "status"],
        ["16AH00", "Anna", "111", "2026-03-16 09:30 UTC", "active"],
        ["16AH00", "Bram", "5000000222", "2026-03-16 10:30 UTC", "active"],
        ["16BX00", "333", "2026-03-16 09:30 UTC", "active"],
    ]


def test_list_of_one_school(ouderbrug: Cli, team: sessionmaker[Session]) -> None:
    result = ouderbrug("staff", "list", "--school", "16bx00")

    assert [line.split()[0] for line in result.out.splitlines()] == ["school", "16BX00"]


def test_list_without_staff_says_how_they_join(ouderbrug: Cli) -> None:
    result = ouderbrug("staff", "list", "--school", "16AH00")

    assert (
        result.out.strip() == "No staff at school 16AH00 yet: they join by the school's staff link."
    )


def test_revoke_marks_only_that_member_and_says_so(
    ouderbrug: Cli, team: sessionmaker[Session]
) -> None:
    result = ouderbrug("staff", "revoke", "16AH00", "111")

    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        "Revoked Anna (Telegram user 111) at 16AH00: they no longer receive its families."
    )
    state = revoked(team)
    assert state[("16AH00", 111)] is not None
    assert state[("16AH00", 5_000_000_222)] is None
    listed = ouderbrug("staff", "list").out
    assert "Anna" in listed
    assert "revoked 20" in listed


def test_revoking_twice_changes_nothing_the_second_time(
    ouderbrug: Cli, team: sessionmaker[Session]
) -> None:
    ouderbrug("staff", "revoke", "16AH00", "111")
    first = revoked(team)[("16AH00", 111)]

    result = ouderbrug("staff", "revoke", "16AH00", "111")

    assert result.code == 0
    assert "was already revoked on" in result.out
    assert revoked(team)[("16AH00", 111)] == first


@pytest.mark.parametrize(
    ("code", "user_id"), [("16AH00", "333"), ("16BX00", "111"), ("99ZZ99", "1")]
)
def test_revoke_says_when_nothing_matched(
    ouderbrug: Cli, team: sessionmaker[Session], code: str, user_id: str
) -> None:
    before = revoked(team)

    result = ouderbrug("staff", "revoke", code, user_id)

    assert result.code == 1
    assert result.err.strip() == (
        f"No staff member with Telegram user id {user_id} at school {code}; nothing changed."
    )
    assert revoked(team) == before


def token_of(sessions: sessionmaker[Session], code: str) -> str:
    with sessions() as session:
        school = session.get(School, code)
        assert school is not None
        return school.staff_token


class Terminal(io.StringIO):
    """Typed answers on a terminal: what the prompt reads when someone sits at it."""

    def isatty(self) -> bool:
        return True


def test_revoke_with_a_new_staff_link_prints_it_and_the_old_one_stops(
    ouderbrug: Cli, team: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "OuderbrugTestBot")
    old = token_of(team, "16AH00")

    result = ouderbrug("staff", "revoke", "16AH00", "111", "--new-staff-link")

    assert result.code == 0, result.err
    new = token_of(team, "16AH00")
    assert new != old
    assert f"https://t.me/OuderbrugTestBot?start=staff-{new}" in result.out
    assert "the old one no longer works" in result.out
    assert revoked(team)[("16AH00", 111)] is not None
    assert token_of(team, "16BX00") == "b" * 32


def test_revoke_keeping_the_link_says_how_to_replace_it(
    ouderbrug: Cli, team: sessionmaker[Session]
) -> None:
    result = ouderbrug("staff", "revoke", "16AH00", "111", "--keep-link")

    assert result.code == 0, result.err
    assert token_of(team, "16AH00") == "a" * 32
    assert "ouderbrug schools links 16AH00 --new-staff-link" in result.out


def test_revoke_without_a_terminal_asks_nothing_and_keeps_the_link(
    ouderbrug: Cli, team: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # piped: not someone answering

    result = ouderbrug("staff", "revoke", "16AH00", "111")

    assert result.code == 0, result.err
    assert "?" not in result.out
    assert token_of(team, "16AH00") == "a" * 32
    assert "still works" in result.out
    assert "ouderbrug schools links 16AH00 --new-staff-link" in result.out


@pytest.mark.parametrize(("typed", "replaced"), [("y\n", True), ("ja\n", True), ("\n", False)])
def test_revoke_at_a_terminal_asks_whether_to_replace_the_link(
    ouderbrug: Cli,
    team: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    replaced: bool,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "OuderbrugTestBot")
    monkeypatch.setattr("sys.stdin", Terminal(typed))

    result = ouderbrug("staff", "revoke", "16AH00", "111")

    assert result.code == 0, result.err
    assert "Replace the staff link of 16AH00 too?" in result.out
    assert (token_of(team, "16AH00") != "a" * 32) is replaced
    assert revoked(team)[("16AH00", 111)] is not None


def test_leaving_the_question_unanswered_changes_nothing(
    ouderbrug: Cli, team: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "OuderbrugTestBot")
    monkeypatch.setattr("sys.stdin", Terminal(""))  # Ctrl-D at the prompt

    result = ouderbrug("staff", "revoke", "16AH00", "111")

    assert result.code == 1
    assert result.err.strip() == "Nothing changed."
    assert revoked(team)[("16AH00", 111)] is None
    assert token_of(team, "16AH00") == "a" * 32


def test_a_new_link_without_the_bot_s_username_changes_nothing(
    ouderbrug: Cli, team: sessionmaker[Session]
) -> None:
    result = ouderbrug("staff", "revoke", "16AH00", "111", "--new-staff-link")

    assert result.code == 1
    assert "The bot's username is not known yet" in result.err
    assert token_of(team, "16AH00") == "a" * 32
    assert revoked(team)[("16AH00", 111)] is None


def test_a_new_link_uses_the_username_the_bot_remembered_at_its_start(
    ouderbrug: Cli, team: sessionmaker[Session]
) -> None:
    # TELEGRAM_BOT_USERNAME unset, as .env.example advises: `run` stored getMe's answer.
    with team.begin() as session:
        stored.remember(session, stored.BOT_USERNAME, "OuderbrugTestBot")

    result = ouderbrug("staff", "revoke", "16AH00", "111", "--new-staff-link")

    assert result.code == 0, result.err
    new = token_of(team, "16AH00")
    assert f"https://t.me/OuderbrugTestBot?start=staff-{new}" in result.out


def test_both_link_flags_at_once_are_refused(ouderbrug: Cli, team: sessionmaker[Session]) -> None:
    with pytest.raises(SystemExit):
        ouderbrug("staff", "revoke", "16AH00", "111", "--new-staff-link", "--keep-link")


def test_reinstate_lets_a_revoked_member_receive_families_again(
    ouderbrug: Cli, team: sessionmaker[Session]
) -> None:
    ouderbrug("staff", "revoke", "16AH00", "111", "--keep-link")

    result = ouderbrug("staff", "reinstate", "16AH00", "111")

    assert result.code == 0, result.err
    assert result.out.strip() == (
        "Reinstated Anna (Telegram user 111) at 16AH00: they receive its families again."
    )
    assert revoked(team)[("16AH00", 111)] is None
    again = ouderbrug("staff", "reinstate", "16AH00", "111")
    assert again.code == 0
    assert "was not revoked; nothing changed" in again.out
    assert ouderbrug("staff", "reinstate", "16BX00", "111").code == 1
