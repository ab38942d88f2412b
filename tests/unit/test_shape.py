"""The code's shape: small files and functions, imports that only go down the layers.

The layers, the engine's purity and the absence of package cycles are import-linter
contracts in pyproject.toml, written as the target; `lint-imports` checks them as they
stand. The rooms being reworked on their own branches still break a few rules: each
exception below names the branch that removes it, and a test fails once an exception is
no longer needed, so the lists only shrink, and any new break fails at once.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[2]
BOT = PROJECT / "bot"
MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 50
# Alembic's migrations are written once and never edited: their length is the schema's.
MIGRATIONS = BOT / "storage" / "migrations"

# Files over the limit, by the branch that splits them.
LONG_FILES_WAITING: dict[str, str] = {
    "bot/parents/conversation.py": "parents",
}
# Functions over the limit ("path name"), by the branch that splits them.
LONG_FUNCTIONS_WAITING: dict[str, str] = {
    "bot/digests/alerts.py completed": "parents",
}
# Imports that break the layers (and so make package cycles), by the branch that removes them.
IMPORTS_WAITING: dict[str, str] = {
    # The parents' erase needs the retention rules, which background applies nightly.
    "bot.parents.privacy -> bot.background.retention": "parents",
    # What is left of the store recalls digests through the outbox.
    "bot.storage.store -> bot.outbox.recall": "parents",
    # The default database URL is built by storage's sqlite_url.
    "bot.settings -> bot.storage.db": "root",
}


def _sources() -> list[Path]:
    return sorted(p for p in BOT.rglob("*.py") if not p.is_relative_to(MIGRATIONS))


def _name(path: Path) -> str:
    return path.relative_to(PROJECT).as_posix()


def _config() -> dict[str, Any]:
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    importlinter: dict[str, Any] = config["tool"]["importlinter"]
    return importlinter


def _long_files() -> dict[str, int]:
    long = {}
    for path in _sources():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_FILE_LINES:
            long[_name(path)] = lines
    return long


def _long_functions() -> dict[str, int]:
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{_name(path)} {node.name}"] = lines
    return long


def test_no_file_is_longer_than_the_limit() -> None:
    long = _long_files()

    new = {name: lines for name, lines in long.items() if name not in LONG_FILES_WAITING}
    assert not new, f"files over {MAX_FILE_LINES} lines: {new}"
    done = sorted(set(LONG_FILES_WAITING) - set(long))
    assert not done, f"within the limit now: remove from LONG_FILES_WAITING: {done}"


def test_no_function_is_longer_than_the_limit() -> None:
    long = _long_functions()

    new = {name: lines for name, lines in long.items() if name not in LONG_FUNCTIONS_WAITING}
    assert not new, f"functions over {MAX_FUNCTION_LINES} lines: {new}"
    done = sorted(set(LONG_FUNCTIONS_WAITING) - set(long))
    assert not done, f"within the limit now: remove from LONG_FUNCTIONS_WAITING: {done}"


def test_the_contracts_cover_the_engine_the_layers_and_cycles() -> None:
    contracts = {c["id"]: c for c in _config()["contracts"]}

    assert list(contracts) == ["engine-pure", "layers", "acyclic"]
    # The target excuses only the migrations, which run once: the rest live here.
    excused = {tuple(c.get("ignore_imports", ())) for c in contracts.values()}
    assert excused <= {(), ("bot.storage.migrations.** -> bot.flowfiles.**",)}


def test_every_package_of_the_bot_has_its_layer_and_is_kept_out_of_the_engine() -> None:
    contracts = {c["id"]: c for c in _config()["contracts"]}
    top = {
        f"bot.{p.stem if p.is_file() else p.name}"
        for p in BOT.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    layered = {
        module.strip()
        for layer in contracts["layers"]["layers"]
        for module in layer.replace("|", ":").split(":")
    }

    assert top - layered == set(), "give these a place in the layers contract"
    assert top - {"bot.engine"} - set(contracts["engine-pure"]["forbidden_modules"]) == set()


def _toml(config: dict[str, Any]) -> str:
    """Write the import-linter section back as TOML (strings, booleans, lists of strings)."""
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in config.items() if key != "contracts"]
    for contract in config["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in contract.items()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("contract", [c["id"] for c in _config()["contracts"]])
def test_imports_keep_the_contract(contract: str, tmp_path: Path) -> None:
    config = _config()
    for each in config["contracts"]:
        if each["id"] != "engine-pure":
            # import-linter fails on an ignored import that no longer exists: the list shrinks.
            each["ignore_imports"] = sorted({*each.get("ignore_imports", ()), *IMPORTS_WAITING})
    (tmp_path / "importlinter.toml").write_text(_toml(config), encoding="utf-8")
    # The venv's own interpreter, so the graph is of the package this test imports.
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            *("--config", str(tmp_path / "importlinter.toml")),
            *("--no-cache", "--no-logo", "--contract", contract),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
