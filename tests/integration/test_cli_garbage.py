"""Garbage on the coordinators' command line gets a plain sentence and exit 1, never a traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (("export", "--school", "16AH\x0000"), "is not a DUO school code"),
        (("export", "--school", "x" * 300), "is not a DUO school code"),
        (("followup", "list", "--school", "16AH\x0000"), "is not a DUO school code"),
        (("digest", "preview", "16AH\x0000"), "is not a DUO school code"),
        (("digest", "preview", "ABCD99"), "is not a DUO school code"),
        (("schools", "list", "--town", "EMMEN\x00"), "--town holds the control character U+0000"),
        (("schools", "set", "16AH00", "--digest-language", "n\x00l"), "is not a language code"),
        (("schools", "set", "16AH\x0000"), "There is no school with code"),
        (("schools", "add", "16AH\x0000", "--name", "X", "--town", "Y"), "not a DUO school"),
    ],
)
def test_garbage_arguments_get_a_plain_sentence(
    ouderbrug: Cli, arguments: tuple[str, ...], says: str
) -> None:
    result = ouderbrug(*arguments)

    assert result.code == 1
    assert says in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        (
            "DATABASE_URL",
            "nonsense",
            "DATABASE_URL in the environment or .env cannot be used: it is",
        ),
        ("DATABASE_URL", "postgres://ouderbrug:geheim@db/ouderbrug", "write postgresql://"),
        ("DATABASE_URL", "mysql://ouderbrug:geheim@db/ouderbrug", "PostgreSQL or SQLite"),
        ("COORDINATOR_IDS", "123, abc", "COORDINATOR_IDS"),
        ("WEBHOOK_PORT", "eighty", "WEBHOOK_PORT"),
    ],
)
def test_a_setting_that_cannot_be_read_gets_a_plain_sentence(
    ouderbrug: Cli, monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
) -> None:
    monkeypatch.setenv(name, value)

    result = ouderbrug("schools", "list")

    assert result.code == 1
    assert says in result.err
    assert "Traceback" not in result.err
    assert "geheim" not in result.err  # a password in the setting is never repeated
    assert len(result.err.strip().splitlines()) == 1
