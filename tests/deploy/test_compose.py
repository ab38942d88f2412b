"""compose.yaml: the bot on PostgreSQL, started once the database is ready, checked by /healthz."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import pytest
import yaml
from sqlalchemy import make_url

from bot.settings import Settings
from tests.deploy.files import PROJECT

COMPOSE = PROJECT / "compose.yaml"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def interpolated(value: str, password: str = "pw") -> str:
    """Return a compose value with ${POSTGRES_PASSWORD...} filled in, as compose does."""
    start = value.find("${POSTGRES_PASSWORD")
    if start < 0:
        return value
    end = value.index("}", start)
    return value[:start] + password + value[end + 1 :]


def test_it_runs_the_bot_and_postgresql(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"bot", "db"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["bot"]["build"] == "."
    assert services["bot"]["command"][:2] == ["run", "--webhook"]


def test_the_bot_uses_the_database_service(compose: dict[str, Any]) -> None:
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    url = make_url(interpolated(bot["environment"]["DATABASE_URL"]))
    assert url.get_backend_name() == "postgresql"
    assert url.host == "db"
    assert url.username == db["environment"]["POSTGRES_USER"]
    assert url.database == db["environment"]["POSTGRES_DB"]
    assert url.password == interpolated(db["environment"]["POSTGRES_PASSWORD"])
    # Refuses to start without a password rather than run with an empty one.
    assert ":?" in db["environment"]["POSTGRES_PASSWORD"]


def test_the_bot_waits_for_a_healthy_database(compose: dict[str, Any]) -> None:
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_the_bot_is_checked_on_healthz_at_its_port(compose: dict[str, Any]) -> None:
    bot = compose["services"]["bot"]
    port = bot["environment"]["WEBHOOK_PORT"]
    check = " ".join(bot["healthcheck"]["test"])
    assert f"127.0.0.1:{port}/healthz" in check
    assert bot["environment"]["WEBHOOK_LISTEN"] == "0.0.0.0"
    # Published on this machine only: a TLS reverse proxy faces the internet.
    assert bot["ports"] == [f"127.0.0.1:{port}:{port}"]


def test_the_data_lives_in_named_volumes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    named = set(compose["volumes"])
    mounts = {
        mount.split(":")[0]: mount.split(":")[1]
        for service in services.values()
        for mount in service.get("volumes", [])
    }
    assert mounts["postgres-data"] == "/var/lib/postgresql/data"
    assert (
        mounts["translation-packages"]
        == (services["bot"]["environment"]["TRANSLATION_PACKAGES_DIR"])
    )
    assert {name for name in mounts if not name.startswith(".")} == named
    assert mounts["./flows"] == "/app/flows"  # where the image's FLOWS_DIR points


def test_every_setting_it_passes_is_one_of_ours(compose: dict[str, Any]) -> None:
    fields = {name.upper() for name in Settings.model_fields}
    assert set(compose["services"]["bot"]["environment"]) <= fields
    env_files = compose["services"]["bot"]["env_file"]
    assert env_files == [{"path": ".env", "required": False}]


def test_docker_compose_accepts_it() -> None:
    """Let `docker compose config` validate it where the compose plugin is installed."""
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker client here")
    version = subprocess.run(
        [docker, "compose", "version"], capture_output=True, text=True, check=False
    )
    if version.returncode != 0:
        pytest.skip("the docker client here has no compose plugin: checked by parsing only")
    checked = subprocess.run(
        [docker, "compose", "--file", str(COMPOSE), "config", "--quiet"],
        env={**os.environ, "POSTGRES_PASSWORD": "pw"},
        capture_output=True, text=True, check=False, cwd=PROJECT,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
