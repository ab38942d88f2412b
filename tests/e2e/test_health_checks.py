"""The image's and compose's health checks, run as written against `ouderbrug run --webhook`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.deploy.files import PROJECT, stages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def image_check() -> list[str]:
    (check,) = stages((PROJECT / "Dockerfile").read_text(encoding="utf-8"))[-1].all("HEALTHCHECK")
    _, _, command = check.arguments.partition(" CMD ")
    return [str(word) for word in yaml.safe_load(command)]


def compose_check(port: int) -> list[str]:
    compose = yaml.safe_load((PROJECT / "compose.yaml").read_text(encoding="utf-8"))
    words = [str(word) for word in compose["services"]["bot"]["healthcheck"]["test"]]
    assert words[0] == "CMD"
    # compose's bot listens on its fixed port inside its container; here on a free one.
    return [word.replace("127.0.0.1:8080", f"127.0.0.1:{port}") for word in words[1:]]


def healthy(command: list[str], environment: dict[str, str]) -> bool:
    # The container's `python` is the interpreter the package is installed in: ours here.
    program = [sys.executable if command[0] == "python" else command[0], *command[1:]]
    done = subprocess.run(program, env=environment, capture_output=True, timeout=30, check=False)
    return done.returncode == 0


def test_the_health_checks_pass_while_the_webhook_serves_and_fail_once_it_stops(
    environment: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    settings = {
        **environment,
        "WEBHOOK_SECRET": "health-check-secret-of-the-image-0123456789",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_LISTEN": "127.0.0.1",
    }
    check_environment = {**os.environ, "WEBHOOK_PORT": str(port)}
    assert not healthy(image_check(), check_environment)  # nothing listens yet
    with (tmp_path / "bot.log").open("wb") as log:
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--webhook"],
            env={**os.environ, **settings}, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not healthy(image_check(), check_environment):
            assert bot.poll() is None, (tmp_path / "bot.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "bot.log").read_text()
            time.sleep(0.2)
        assert healthy(compose_check(port), check_environment)
    finally:
        bot.terminate()
        bot.wait(timeout=30)
    assert not healthy(image_check(), check_environment)
