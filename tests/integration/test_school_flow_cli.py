"""`schools set --flow`: a school's own default flow, chosen from the usable flows only."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import PROJECT_DIR
from bot.storage.models import School
from tests.conftest import CliResult
from tests.integration.digest_world import build_digest_world

SECOND = """\
id: laptops
version: 1
title: Laptops lenen
languages: [nl]
steps:
  - id: laptop
    kind: yesno
    text: Heeft uw kind een laptop van school nodig?
"""


@pytest.fixture
def flows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "flows"
    shutil.copytree(PROJECT_DIR / "flows", folder)
    (folder / "laptops.yaml").write_text(SECOND, encoding="utf-8")
    (folder / "broken.yaml").write_text(SECOND.replace("laptops", "kapot") + "  - x\n")
    monkeypatch.setenv("FLOWS_DIR", str(folder))
    return folder


def school_flow(sessions: sessionmaker[Session]) -> str | None:
    with sessions() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        return school.flow_id


def test_a_school_gets_its_own_flow_and_back_to_the_default(
    ouderbrug: Callable[..., CliResult], sessions: sessionmaker[Session], flows: Path
) -> None:
    build_digest_world(sessions)
    own = ouderbrug("schools", "set", "16AH00", "--flow", "laptops")
    assert own.code == 0, own.err
    assert "flow: laptops" in own.out
    assert school_flow(sessions) == "laptops"
    shown = ouderbrug("schools", "set", "16AH00")
    assert "flow: laptops" in shown.out
    back = ouderbrug("schools", "set", "16AH00", "--flow", "default")
    assert "flow: thuissituatie (default)" in back.out
    assert school_flow(sessions) is None


@pytest.mark.parametrize(
    ("flow_id", "says"),
    [
        ("laptop", "There is no usable flow 'laptop'"),
        ("laptop", "(did you mean 'laptops'?)"),
        ("kapot", "flows check"),  # refused by the check: the bot would never serve it
        ("../etc", "There is no usable flow"),
    ],
)
def test_a_flow_that_is_not_usable_is_refused_and_nothing_changes(
    ouderbrug: Callable[..., CliResult],
    sessions: sessionmaker[Session],
    flows: Path,
    flow_id: str,
    says: str,
) -> None:
    build_digest_world(sessions)
    result = ouderbrug("schools", "set", "16AH00", "--flow", flow_id, "--digest-language", "en")
    assert result.code == 1
    assert says in result.err
    assert "Nothing changed." in result.err
    assert school_flow(sessions) is None
    with sessions() as db:
        school = db.get(School, "16AH00")
        assert school is not None
        assert school.digest_language == "nl"
