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


def test_an_empty_sender_is_named_as_such() -> None:
    problem = undeliverable_sender(" ")

    assert problem is not None
    assert problem.startswith("SMTP_FROM is empty: ")


def test_the_example_settings_leave_the_sender_to_fill_in_and_say_how() -> None:
    example = (PROJECT_DIR / ".env.example").read_text(encoding="utf-8")
    lines = example.splitlines()
    (number,) = [n for n, line in enumerate(lines) if line.startswith("SMTP_FROM=")]

    # A placeholder that passes would go out unnoticed from someone else's domain.
    assert undeliverable_sender(lines[number].removeprefix("SMTP_FROM=")) is not None
    comment = " ".join(lines[number - 5 : number])
    assert "your organisation's own mail domain" in comment
    assert "`ouderbrug run` warns" in comment


def test_the_built_in_default_is_warned_about() -> None:
    default = Settings.model_fields["smtp_from"].default

    assert undeliverable_sender(default) is not None
