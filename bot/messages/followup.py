"""A family's follow-up by its school: stored on the response, carried in button data."""

from __future__ import annotations

from enum import StrEnum


class FollowUpStatus(StrEnum):
    """How far the school got with a family; the values are what the database stores."""

    OPEN = "open"
    CONTACTED = "contacted"
    HELPED = "helped"
