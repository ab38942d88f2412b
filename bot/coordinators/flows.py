"""Coordinators hear about refused flow files, in their Telegram chat, in plain words."""

from __future__ import annotations

from collections.abc import Sequence

from bot.flowfiles.problems import Problem
from bot.flowfiles.registry import FlowRegistry
from bot.schools.catalog import SchoolCatalog
from bot.storage.queue import Queued
from bot.storage.unit import Transactions

# Telegram's limit is 4096 characters; leave room for the header.
MAX_REPORT = 3500


def reload_flows(registry: FlowRegistry, schools: SchoolCatalog) -> str:
    """Read the flow files and the schools again; describe the result for coordinators."""
    problems = registry.reload()
    schools.refresh()
    return reload_report(registry, problems)


def reload_report(registry: FlowRegistry, problems: Sequence[Problem]) -> str:
    """Describe a reload for coordinators: what is live, and what was refused and why."""
    errors = [p for p in problems if p.is_error]
    live = ", ".join(f"{f.id} (versie {f.version}, {f.revision})" for f in registry.all())
    lines = [f"Vragenlijsten in gebruik: {live or 'geen'}."]
    if errors:
        lines.append(
            "Geweigerd, de vorige versie blijft in gebruik. Verbeter deze fouten "
            "(ouderbrug flows check):"
        )
        lines += [p.format() for p in errors]
    report = "\n".join(lines)
    return report if len(report) <= MAX_REPORT else report[: MAX_REPORT - 1] + "…"


def tell_coordinators(
    transactions: Transactions, coordinators: Sequence[int], text: str
) -> list[Queued]:
    """Queue a message to every coordinator (their user id is their private chat id)."""
    with transactions.begin() as uow:
        return uow.outbox.to_chats(coordinators, text)
