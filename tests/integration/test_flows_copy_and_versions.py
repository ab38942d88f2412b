"""`flows copy` keeps every translation; `flows check` warns when content changed, not version."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.flowfiles import check_paths
from bot.flowfiles.loader import load_flow
from bot.flowfiles.stored import dump
from bot.i18n.catalogs import read_catalog
from bot.settings import PROJECT_DIR
from bot.storage.models import FlowVersion
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give the command line a copy of the project's flows and catalogs to change."""
    for name in ("flows", "locales"):
        shutil.copytree(PROJECT_DIR / name, tmp_path / name)
    monkeypatch.setenv("FLOWS_DIR", str(tmp_path / "flows"))
    monkeypatch.setenv("LOCALES_DIR", str(tmp_path / "locales"))
    return tmp_path


def test_a_copy_under_a_new_id_passes_the_check_with_every_translation(
    ouderbrug: Cli, project: Path
) -> None:
    flows, locales = project / "flows", project / "locales"
    # Without copying the translations, the copy is refused for every one of them.
    bare = project / "bare" / "zonder.yaml"
    bare.parent.mkdir()
    source = (flows / "thuissituatie.yaml").read_text(encoding="utf-8")
    bare.write_text(source.replace("id: thuissituatie", "id: zonder"), encoding="utf-8")
    untranslated = [p for p in check_paths([bare], locales) if p.code == "untranslated"]
    assert len(untranslated) > 300

    result = ouderbrug("flows", "copy", "thuissituatie", "ouders_zuid")

    assert result.code == 0, result.err
    copy = flows / "ouders_zuid.yaml"
    assert result.out.startswith(f"wrote {copy}\n")
    assert "  ar: 65 texts copied under 'ouders_zuid'" in result.out
    text = copy.read_text(encoding="utf-8")
    # Only the id changed: the coordinator's comments and layout stay.
    assert text == source.replace("\nid: thuissituatie\n", "\nid: ouders_zuid\n")
    assert check_paths([flows], locales) == []
    catalog = read_catalog(locales, "ar")
    assert catalog is not None
    for source_text, context in (
        ("Groep 5", "grade:groep_5"),
        ("alleen een smartphone", "need.smartphone"),
    ):
        original = catalog.get(source_text, context=f"thuissituatie:{context}")
        twin = catalog.get(source_text, context=f"ouders_zuid:{context}")
        assert original is not None
        assert twin is not None
        assert twin.string == original.string != ""

    again = ouderbrug("flows", "copy", "thuissituatie", "ouders_zuid")
    assert (again.code, again.err) == (
        1,
        f"there is already a flow 'ouders_zuid' in {flows}\n",
    )


@pytest.mark.parametrize(
    ("source", "new_id", "error"),
    [
        (
            "bestaat_niet",
            "nieuw",
            "there is no flow 'bestaat_niet' in {flows} (the flows there: thuissituatie)",
        ),
        (
            "thuissituatie",
            "Nieuw-1",
            "'Nieuw-1' is not a valid flow id: use lowercase letters, "
            "digits and _, starting with a letter, at most 64 characters",
        ),
    ],
)
def test_a_copy_that_cannot_be_made_says_why_and_writes_nothing(
    ouderbrug: Cli, project: Path, source: str, new_id: str, error: str
) -> None:
    before = sorted(p.name for p in (project / "flows").iterdir())

    result = ouderbrug("flows", "copy", source, new_id)

    assert (result.code, result.err) == (1, error.format(flows=project / "flows") + "\n")
    assert sorted(p.name for p in (project / "flows").iterdir()) == before


def serve(sessions: sessionmaker[Session], path: Path) -> str:
    """Store the file's revision as the bot does when it loads the flow."""
    flow = load_flow(path).flow
    assert flow is not None
    with sessions.begin() as session:
        session.add(
            FlowVersion(
                revision=flow.revision,
                flow_id=flow.id,
                version=flow.version,
                source=path.read_text(encoding="utf-8"),
                definition=dump(flow),
            )
        )
    return flow.revision


def test_changed_content_under_the_same_version_is_warned_about(
    ouderbrug: Cli, project: Path, sessions: sessionmaker[Session]
) -> None:
    path = project / "flows" / "thuissituatie.yaml"
    source = path.read_text(encoding="utf-8")
    served = serve(sessions, path)
    assert ouderbrug("flows", "check").out == "No problems found.\n"

    path.write_text(source.replace("max_length: 1000", "max_length: 900"), encoding="utf-8")
    result = ouderbrug("flows", "check")

    line = source.splitlines().index("version: 2") + 1
    warning = (
        f"{path}:{line}:10: warning: the content changed since the bot served version 2 "
        f"(revision {served}), but 'version' is still 2; raise it to 3, so answers to the "
        "two can be told apart"
    )
    assert result.out.splitlines() == [warning, "Found 1 warning."]
    assert result.code == 0

    path.write_text(source.replace("version: 2", "version: 3"), encoding="utf-8")
    assert "warning" not in ouderbrug("flows", "check").out
    path.write_text(source.replace("version: 2", "version: 1"), encoding="utf-8")
    lower = ouderbrug("flows", "check").out
    assert "'version' is 1, lower than version 2 the bot already served; raise it to 3" in lower
