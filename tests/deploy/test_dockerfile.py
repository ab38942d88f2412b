"""The container image: two stages, a user without rights, volumes, and a health check."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest

from bot.settings import Settings
from tests.deploy.files import PROJECT, Stage, dockerignore_patterns, dockerignored, stages

DOCKERFILE = PROJECT / "Dockerfile"
# Settings the image sets that are no setting of ours.
NOT_OURS = {"PATH", "PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR", "PIP_DISABLE_PIP_VERSION_CHECK"}


@pytest.fixture(scope="module")
def image() -> list[Stage]:
    return stages(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runtime(image: list[Stage]) -> Stage:
    return image[-1]


def test_it_builds_in_one_stage_and_runs_from_another(image: list[Stage]) -> None:
    assert [stage.name for stage in image] == ["build", "runtime"]
    runtime = image[-1]
    copied = [i.words() for i in runtime.all("COPY") if i.arguments.startswith("--from=")]
    assert copied == [["--from=build", "/opt/ouderbrug", "/opt/ouderbrug"]]
    # Nothing of the build's compilers and caches: the runtime installs no Python packages.
    assert not any("pip install" in i.arguments for i in runtime.all("RUN"))


def test_it_runs_as_a_user_that_is_not_root(runtime: Stage) -> None:
    users = [i.arguments for i in runtime.all("USER")]
    assert users, "the runtime stage never leaves root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    created = " ".join(i.arguments for i in runtime.all("RUN"))
    assert re.search(rf"useradd --system .*\b{user}\b", created)


def test_the_health_check_asks_healthz_on_the_webhook_port(runtime: Stage) -> None:
    (check,) = runtime.all("HEALTHCHECK")
    options, _, command = check.arguments.partition(" CMD ")
    assert "--interval=" in options
    assert "/healthz" in command
    assert "WEBHOOK_PORT" in command
    environment = runtime.environment()
    assert [i.arguments for i in runtime.all("EXPOSE")] == [environment["WEBHOOK_PORT"]]
    assert environment["WEBHOOK_LISTEN"] == "0.0.0.0"  # reachable from outside the container


def test_the_database_and_translation_folders_are_volumes(runtime: Stage) -> None:
    (volume,) = runtime.all("VOLUME")
    volumes = set(volume.words())
    environment = runtime.environment()
    assert {environment["DATA_DIR"], environment["TRANSLATION_PACKAGES_DIR"]} == volumes
    # The user the bot runs as owns them, or SQLite could not write its file.
    created = " ".join(i.arguments for i in runtime.all("RUN"))
    assert all(path in created.split("chown", 1)[1] for path in volumes)


def test_every_setting_it_sets_is_one_of_ours(image: list[Stage]) -> None:
    fields = {name.upper() for name in Settings.model_fields}
    for stage in image:
        assert set(stage.environment()) - NOT_OURS <= fields


def test_it_starts_the_webhook_server(runtime: Stage) -> None:
    (entrypoint,) = runtime.all("ENTRYPOINT")
    (command,) = runtime.all("CMD")
    assert entrypoint.words() + command.words() == ["ouderbrug", "run", "--webhook"]


def test_the_flows_and_catalogs_are_where_the_settings_say(runtime: Stage) -> None:
    environment = runtime.environment()
    targets = {i.words()[-1] for i in runtime.all("COPY")}
    assert {environment["FLOWS_DIR"], environment["LOCALES_DIR"]} <= targets


def test_what_it_copies_is_in_the_build_context(image: list[Stage]) -> None:
    patterns = dockerignore_patterns()
    for stage in image:
        for copy in stage.all("COPY"):
            words = [w for w in copy.words() if not w.startswith("--")]
            if copy.arguments.startswith("--from="):
                continue
            for source in words[:-1]:
                assert (PROJECT / source).exists(), source
                assert not dockerignored(source, patterns), f"{source} is in .dockerignore"
    assert dockerignored(".env", patterns), "a developer's .env would go into the image"
    assert dockerignored("data/ouderbrug.sqlite3", patterns)
    assert dockerignored("bot/engine/__pycache__/engine.cpython-311.pyc", patterns)
    assert not dockerignored("bot/demo/scholen-arnhem-zwolle.csv", patterns)


def test_the_python_version_is_one_the_package_supports(image: list[Stage]) -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    version = re.search(r"PYTHON_IMAGE=python:(3\.\d+)", text)
    assert version is not None
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    lowest = project["project"]["requires-python"].removeprefix(">=")
    assert tuple(map(int, version[1].split("."))) >= tuple(map(int, lowest.split(".")))
    assert all(stage.base == "${PYTHON_IMAGE}" for stage in image)


def test_docker_accepts_the_dockerfile() -> None:
    """Ask docker itself when it can (`docker build --check` needs a running engine)."""
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker client here")
    probe = subprocess.run([docker, "info"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip("no docker engine answers here: the Dockerfile is checked by parsing only")
    checked = subprocess.run(
        [docker, "build", "--check", str(PROJECT)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr


def test_a_env_file_made_from_the_example_keeps_what_the_image_sets(runtime: Stage) -> None:
    # `docker run --env-file .env` lets .env win over the image's ENV: a value set there
    # would, for instance, make the webhook listen inside the container only.
    example = (PROJECT / ".env.example").read_text(encoding="utf-8").splitlines()
    active = dict(line.partition("=")[::2] for line in example if re.match(r"[A-Z_]+=", line))
    environment = runtime.environment()
    differing = {
        name: value
        for name, value in active.items()
        if name in environment and value != environment[name]
    }
    assert differing == {}
