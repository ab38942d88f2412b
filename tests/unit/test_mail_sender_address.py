"""`ouderbrug run` warns about a SMTP_FROM that receiving mail servers would refuse."""

from __future__ import annotations

import pytest

from bot.commands.run import undeliverable_sender
from bot.settings import PROJECT_DIR, Settings


@pytest.mark.parametrize(
    "sender",
    [
        "ouderbrug@gemeente-utrecht.nl",
        "Ouderbrug <ouderbrug@regenboog.nl>",
        "noreply@mail.schoolbestuur.org",
    ],
)
def test_an_address_at_a_public_domain_passes(sender: str) -> None:
    assert undeliverable_sender(sender) is None


@pytest.mark.parametrize(
    ("sender", "reason"),
    [
        ("ouderbrug@localhost", "has no public mail domain (localhost)"),
        ("ouderbrug", "is not an e-mail address"),
        ("", "is not an e-mail address"),
        ("ouder brug@gemeente.nl", "is not an e-mail address"),
        ("ouderbrug@server", "has no public mail domain (server)"),
        ("ouderbrug@bot.local", "has no public mail domain (bot.local)"),
        ("ouderbrug@host.localdomain", "has no public mail domain (host.localdomain)"),
        ("ouderbrug@10.0.0.1", "has no public mail domain (10.0.0.1)"),
        ("ouderbrug@example.nl", "uses a domain reserved for examples (example.nl)"),
        ("ib@mail.example.com", "uses a domain reserved for examples (mail.example.com)"),
        ("ib@gemeente.example", "uses a domain reserved for examples (gemeente.example)"),
    ],
)
def test_an_undeliverable_address_is_named_with_what_to_set(sender: str, reason: str) -> None:
    problem = undeliverable_sender(sender)

    assert problem is not None
    assert problem.startswith(f"SMTP_FROM {sender!r} {reason}: ")
    assert "Set SMTP_FROM to an address at your organisation's own mail domain" in problem


def test_the_example_settings_suggest_an_address_that_passes() -> None:
    example = (PROJECT_DIR / ".env.example").read_text(encoding="utf-8")
    (line,) = [line for line in example.splitlines() if line.startswith("SMTP_FROM=")]

    assert undeliverable_sender(line.removeprefix("SMTP_FROM=")) is None


def test_the_built_in_default_is_warned_about() -> None:
    default = Settings.model_fields["smtp_from"].default

    assert undeliverable_sender(default) is not None
