"""The code's shape: small files and functions, imports that only go down the layers.

The layers, the engine's purity and the absence of package cycles are import-linter
contracts in pyproject.toml; `lint-imports` shows what breaks them, and so does this test.
"""

from __future__ import annotations

import ast
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

    assert not long, f"files over {MAX_FILE_LINES} lines: {long}"


def test_no_function_is_longer_than_the_limit() -> None:
    long = _long_functions()

    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_the_contracts_cover_the_engine_the_layers_and_cycles() -> None:
    contracts = {c["id"]: c for c in _config()["contracts"]}

    assert list(contracts) == ["engine-pure", "layers", "acyclic"]
    # Only the migrations are excused: each runs once, and may parse the flows then.
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


@pytest.mark.parametrize("contract", [c["id"] for c in _config()["contracts"]])
def test_imports_keep_the_contract(contract: str) -> None:
    # The venv's own interpreter, so the graph is of the package this test imports.
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            *("--no-cache", "--no-logo", "--contract", contract),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
