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
