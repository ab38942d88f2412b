"""The webhook starts only with a secret Telegram accepts and nobody can guess."""

from __future__ import annotations

import secrets

import pytest
from pydantic import SecretStr

from bot.settings import Settings


def problem(secret: str | None) -> str | None:
    value = None if secret is None else SecretStr(secret)
    return Settings(_env_file=None, webhook_secret=value).webhook_secret_problem()  # type: ignore[call-arg]


def test_a_secret_as_made_by_the_suggested_command_is_accepted() -> None:
    assert problem(secrets.token_urlsafe(32)) is None


@pytest.mark.parametrize("secret", [None, ""])
def test_a_missing_or_empty_secret_is_refused_with_how_to_make_one(secret: str | None) -> None:
    message = problem(secret)
    assert message is not None
    assert "WEBHOOK_SECRET is not set" in message
    assert "secrets.token_urlsafe(32)" in message


def test_a_short_secret_is_refused() -> None:
    message = problem("s3cret-Token_1")
    assert message is not None
    assert "at least 32" in message
    assert "s3cret" not in message


@pytest.mark.parametrize("secret", ["a" * 31 + " ", "ä" * 40, "a" * 257, "a/b" * 20])
def test_a_secret_telegram_would_refuse_is_refused(secret: str) -> None:
    assert problem(secret) is not None
