"""deploy/ouderbrug.service: the bot on a plain VM, under systemd, as an unprivileged user."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.files import PROJECT, unit_file

UNIT = PROJECT / "deploy" / "ouderbrug.service"
INSTALLED = "/opt/ouderbrug"


def test_it_runs_the_bot_as_its_own_user_with_its_settings() -> None:
    unit = unit_file(UNIT.read_text(encoding="utf-8"))
    service = unit["Service"]
    assert service["User"] == ["ouderbrug"]
    assert service["EnvironmentFile"] == ["/etc/ouderbrug/ouderbrug.env"]
    (start,) = service["ExecStart"]
    assert start.split()[0] == f"{INSTALLED}/.venv/bin/ouderbrug"
    assert start.split()[1:] == ["run"]
    assert service["Restart"] == ["on-failure"]
    assert service["NoNewPrivileges"] == ["yes"]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_the_database_lives_in_the_state_directory() -> None:
    service = unit_file(UNIT.read_text(encoding="utf-8"))["Service"]
    (state,) = service["StateDirectory"]
    assert f"DATA_DIR=/var/lib/{state}" in service["Environment"]
    # Everything else is read-only to the bot.
    assert service["ProtectSystem"] == ["strict"]


def test_a_reload_sends_the_signal_that_reloads_the_flows() -> None:
    service = unit_file(UNIT.read_text(encoding="utf-8"))["Service"]
    assert service["ExecReload"] == ["/bin/kill -HUP $MAINPID"]


def test_systemd_analyze_verifies_it_installed(tmp_path: Path) -> None:
    """Verify the unit as systemd would load it, with the bot installed under tmp_path."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    # verify checks that ExecStart exists: put an executable where the unit expects one.
    prefix = tmp_path / "opt-ouderbrug"
    program = prefix / ".venv" / "bin" / "ouderbrug"
    program.parent.mkdir(parents=True)
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    unit = tmp_path / "ouderbrug.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALLED, str(prefix)))

    verified = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False
    )

    # verify exits 0 even for settings it ignores: any message at all is a mistake.
    assert (verified.returncode, verified.stderr, verified.stdout) == (0, "", "")
