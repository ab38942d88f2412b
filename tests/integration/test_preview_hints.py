"""The terminal preview says what to do when the school question can find no school."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.preview.terminal import NO_SCHOOLS_HINT
from tests.conftest import CliResult
from tests.integration.service_world import build_world

Cli = Callable[..., CliResult]
# Dutch at the picker, consent, then a school name.
ANSWERS = "1\n1\nDe Regenboog\n"


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(ANSWERS))


@pytest.mark.usefixtures("answers")
def test_without_schools_the_school_question_says_how_to_get_some(ouderbrug: Cli) -> None:
    result = ouderbrug("chat")

    assert result.out.count(NO_SCHOOLS_HINT) == 1
    assert "--school CODE" in NO_SCHOOLS_HINT
    assert "ouderbrug schools import FILE" in NO_SCHOOLS_HINT
    # Before the parent types: the hint comes with the question, not after a failed search.
    assert result.out.index(NO_SCHOOLS_HINT) < result.out.index("> De Regenboog")


@pytest.mark.usefixtures("answers")
def test_with_imported_schools_the_preview_finds_them_and_needs_no_hint(
    ouderbrug: Cli, sessions: sessionmaker[Session]
) -> None:
    build_world(sessions)  # De Regenboog and Het Anker

    result = ouderbrug("chat")

    assert NO_SCHOOLS_HINT not in result.out
    assert "De Regenboog, Utrecht" in result.out


@pytest.mark.usefixtures("answers")
def test_arriving_by_a_school_link_needs_no_hint(ouderbrug: Cli) -> None:
    result = ouderbrug("chat", "--school", "16AH00")

    assert NO_SCHOOLS_HINT not in result.out


@pytest.mark.usefixtures("answers")
def test_a_schools_file_that_is_not_there_is_named_in_a_sentence(
    ouderbrug: Cli, tmp_path: Path
) -> None:
    missing = tmp_path / "scholen.csv"

    result = ouderbrug("chat", "--schools", str(missing))

    assert result.code == 2
    assert result.err == f"Cannot read the schools list {missing}: No such file or directory.\n"
