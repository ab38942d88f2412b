"""The bot serves exactly the flows `ouderbrug flows check` accepts, from the bytes it checked."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from bot.flowfiles.checker import check_paths
from bot.flowfiles.registry import FlowRegistry
from bot.settings import PROJECT_DIR
from bot.storage.db import session_factory
from bot.storage.unit import Transactions

FLOW = "id: {id}\nversion: 1\nlanguages: [nl]\nsteps:\n  - {{id: q, kind: yesno, text: {text}}}\n"


def write(folder: Path, name: str, flow_id: str, text: str = "Vraag") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(FLOW.format(id=flow_id, text=text), encoding="utf-8")
    return path


def test_the_bot_refuses_exactly_what_the_check_refuses(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    flows, locales = tmp_path / "flows", tmp_path / "locales"
    write(flows, "good.yaml", "good")
    write(flows, "long.yaml", "long", "a" * 4090)  # fits alone, not with progress and hint
    write(flows, "twin_a.yaml", "twin")
    write(flows, "twin_b.yaml", "twin")
    untranslated = FLOW.format(id="dutch_only", text="Vraag").replace("[nl]", "[nl, en]")
    (flows / "untranslated.yaml").write_text(untranslated, encoding="utf-8")
    registry = FlowRegistry(Transactions(sessions), flows, locales)

    problems = registry.reload()

    assert [p.format() for p in problems] == [p.format() for p in check_paths([flows], locales)]
    assert [f.id for f in registry.all()] == ["good"]


def test_two_files_with_one_id_serve_neither_and_name_both(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    first, second = write(flows, "a.yaml", "same"), write(flows, "b.yaml", "same", "Andere")
    registry = FlowRegistry(Transactions(sessions), flows, tmp_path / "locales")

    problems = registry.reload()

    assert registry.current("same") is None
    assert sorted(p.file for p in problems if p.code == "duplicate-flow") == [
        str(first),
        str(second),
    ]


def test_each_file_the_bot_cannot_store_is_reported_and_the_reload_goes_on(
    tmp_path: Path,
) -> None:
    # A database without tables: storing any flow raises inside the reload.
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    flows = tmp_path / "flows"
    write(flows, "a.yaml", "first")
    write(flows, "b.yaml", "second")
    registry = FlowRegistry(Transactions(session_factory(engine)), flows, tmp_path / "locales")

    problems = registry.reload()

    assert [(Path(p.file).name, p.code) for p in problems] == [
        ("a.yaml", "not-loaded"),
        ("b.yaml", "not-loaded"),
    ]
    assert "previous version stays in use" in problems[0].message
    assert registry.all() == []
    engine.dispose()


def test_the_default_flows_load_with_their_translations(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    shutil.copytree(PROJECT_DIR / "flows", flows)
    registry = FlowRegistry(Transactions(sessions), flows, PROJECT_DIR / "locales")

    assert registry.reload() == []
    flow = registry.current("thuissituatie")
    assert flow is not None
    with Transactions(sessions).read() as uow:
        assert registry.revision(flow.revision, uow) == flow
