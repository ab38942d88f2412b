"""What the consent question promises, filled in from the installation's own settings.

A flow text may name these values as {organisation}, {privacy_url}, {retention_days}
and {retention_open_days}: who "we" are, where the privacy statement is, and how long
answers are kept, so the text says what this installation really does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.flowfiles.texts import PLACEHOLDERS

if TYPE_CHECKING:
    from bot.settings import Settings


class KeptDays(Protocol):
    """How long answers are kept (the retention rules, which background work applies)."""

    @property
    def helped_days(self) -> int:
        """Days a family the school helped is kept."""
        ...

    @property
    def open_days(self) -> int:
        """Days a family still waiting for the school is kept."""
        ...


@dataclass(frozen=True, slots=True)
class _Kept:
    helped_days: int
    open_days: int


def flow_values(organisation: str, privacy_url: str, rules: KeptDays) -> dict[str, str]:
    """Return the value of every placeholder a flow text may name (`flows check` knows them)."""
    values = {
        "organisation": organisation,
        "privacy_url": privacy_url,
        "retention_days": str(rules.helped_days),
        "retention_open_days": str(rules.open_days),
    }
    assert values.keys() == PLACEHOLDERS, "bot/flowfiles/texts.py names the same placeholders"
    return values


def values_from(settings: Settings) -> dict[str, str]:
    """Return the placeholder values this installation's settings give."""
    # The same settings RetentionRules.from_settings reads; parents do not import background.
    kept = _Kept(settings.retention_days, settings.retention_open_days)
    return flow_values(settings.organisation_name, settings.privacy_url, kept)
