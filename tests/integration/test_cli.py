"""The coordinator's commands, run as a coordinator runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from bot.i18n.languages import SUPPORTED
from bot.settings import PROJECT_DIR


def ouderbrug(*arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        check=False,
        timeout=120,
    )


def test_the_shipped_flows_pass_the_check() -> None:
    result = ouderbrug("flows", "check", str(PROJECT_DIR / "flows"))
    assert result.returncode == 0, result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_broken_copy_fails_with_file_and_line(tmp_path: Path) -> None:
    source = (PROJECT_DIR / "flows" / "thuissituatie.yaml").read_text(encoding="utf-8")
    broken = source.replace("    when: contact == phone\n", "    when: contact == fax\n", 1)
    assert broken != source
    path = tmp_path / "thuissituatie.yaml"
    path.write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("    when: contact == fax") + 1
    result = ouderbrug("flows", "check", str(path))
    assert result.returncode == 1
    assert f"{path}:{line}:" in result.stdout
    assert "phone" in result.stdout
    assert "fax" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_yaml_that_does_not_parse_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text("id: x\nsteps: [\n  - id: a\n", encoding="utf-8")
    result = ouderbrug("flows", "check", str(path))
    assert result.returncode == 1
    assert f"{path}:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_all_six_languages_are_complete() -> None:
    result = ouderbrug("i18n", "check")
    assert result.returncode == 0, result.stdout
    for code in SUPPORTED:
        assert f"{code}: 100% translated" in result.stdout
        assert "INCOMPLETE" not in result.stdout


def test_an_incomplete_language_fails_the_check(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_DIR / "locales", locales)
    po = locales / "tr" / "LC_MESSAGES" / "ouderbrug.po"
    with po.open("rb") as fileobj:
        catalog = read_po(fileobj, locale="tr")
    emptied = next(m for m in catalog if m.id and m.context == "thuissituatie:internet")
    emptied.string = ""
    with po.open("wb") as fileobj:
        write_po(fileobj, catalog)
    result = ouderbrug("i18n", "check", LOCALES_DIR=str(locales))
    assert result.returncode == 1
    assert "tr: " in result.stdout
    assert "INCOMPLETE" in result.stdout
    assert "[thuissituatie:internet]" in result.stdout


def test_the_template_is_up_to_date_with_code_and_flows(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for part in ("bot", "flows"):
        shutil.copytree(PROJECT_DIR / part, project / part)
    shutil.copy(PROJECT_DIR / "pyproject.toml", project)
    (project / "locales").mkdir()
    from bot.i18n.tools import extract

    fresh = extract(project, project / "locales")
    with fresh.open("rb") as new, (PROJECT_DIR / "locales" / "ouderbrug.pot").open("rb") as old:
        extracted = {(m.id, m.context) for m in read_po(new) if m.id}
        committed = {(m.id, m.context) for m in read_po(old) if m.id}
    assert extracted == committed, "run `ouderbrug i18n extract` and `ouderbrug i18n update`"
