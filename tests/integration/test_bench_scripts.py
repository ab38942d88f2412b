"""The benchmarks still run (their figures are read by people, never asserted here)."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.settings import PROJECT_DIR


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "PTB_TIMEDELTA": "true"},
        check=False,
        timeout=300,
    )


def test_the_engine_benchmark_runs() -> None:
    result = run("bench/engine.py", "--parents", "12")
    assert result.returncode == 0, result.stderr
    assert "engine steps per second" in result.stdout


def test_the_bot_benchmark_runs_on_sqlite() -> None:
    result = run(
        "bench/bot.py",
        *("--database", "sqlite", "--parents", "2", "--rounds", "1"),
        *("--rate", "20", "--seconds", "1"),
    )
    assert result.returncode == 0, result.stderr
    assert "2 parents at once: 26 updates" in result.stdout
    assert "20 updates/s offered: 20 updates" in result.stdout


def test_the_translation_benchmark_runs_with_a_tiny_model() -> None:
    result = run(
        "bench/translate.py",
        "--size",
        "tiny",
        "--parents",
        "2",
        "--rounds",
        "1",
        "--rate",
        "20",
        "--seconds",
        "1",
        "--remarks",
        "50",
        "--repeat",
        "1",
    )
    assert result.returncode == 0, result.stderr
    assert "sentences/s" in result.stdout
    assert "1: bot while translating" in result.stdout


def test_the_digest_benchmark_runs() -> None:
    schools = PROJECT_DIR / "tests" / "fixtures" / "duo" / "basisonderwijs-2026-extract.csv"
    result = run(
        "bench/digest.py", "--schools", "5", "--families", "4", "--schools-file", str(schools)
    )
    assert result.returncode == 0, result.stderr
    assert "schools: 5, families: 20" in result.stdout
    assert "peak memory" in result.stdout


def test_the_dashboard_benchmark_runs_on_sqlite() -> None:
    result = run(
        "bench/dashboard.py",
        *("--database", "sqlite", "--responses", "300", "--views", "2"),
    )
    assert result.returncode == 0, result.stderr
    assert "sqlite: 300 responses filled" in result.stdout
    assert "overview: p50" in result.stdout
