"""The code's shape: small files and functions, imports that only go down the layers.

The layers and the engine's purity are import-linter contracts in pyproject.toml; each
is checked here on its own, so a failure names the contract and the imports that break it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
BOT = PROJECT / "bot"
MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 50
# Alembic's migrations are written once and never edited: their length is the schema's.
MIGRATIONS = BOT / "storage" / "migrations"


def _sources() -> list[Path]:
    return sorted(p for p in BOT.rglob("*.py") if not p.is_relative_to(MIGRATIONS))


def _contract_ids() -> list[str]:
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    return [c["id"] for c in config["tool"]["importlinter"]["contracts"]]


def test_no_file_is_longer_than_the_limit() -> None:
    long = {}
    for path in _sources():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_FILE_LINES:
            long[str(path.relative_to(PROJECT))] = lines

    assert not long, f"files over {MAX_FILE_LINES} lines: {long}"


def test_no_function_is_longer_than_the_limit() -> None:
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PROJECT)}:{node.lineno} {node.name}"] = lines

    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_the_contracts_cover_the_engine_the_layers_and_cycles() -> None:
    assert _contract_ids() == ["engine-pure", "layers", "acyclic"]


@pytest.mark.parametrize("contract", _contract_ids())
def test_imports_keep_the_contract(contract: str) -> None:
    # The venv's own interpreter, so the graph is of the package this test imports.
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-cache",
            "--no-logo",
            "--contract",
            contract,
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
