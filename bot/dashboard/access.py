"""Who is looking: a coordinator sees every school, staff their own schools, nobody else any.

The session cookie holds only the Telegram user id and the form token; what they may see
is asked of the database on every request, so a revoked staff member loses the school at
once, not when the cookie expires.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Collection, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.storage.unit import UnitOfWork

USER = "user"
# The hash of the link that started the session: it names the session in the database.
LINK = "link"
CSRF = "csrf"
# A session lasts a working day; signing in again takes a message to the bot.
SESSION_HOURS = 8
LANGUAGE = "language"


@dataclass(frozen=True, slots=True)
class Viewer:
    """A signed-in user and what they may see."""

    user_id: int
    coordinator: bool
    # The schools they are active staff of, by code, with the membership's id.
    schools: Mapping[str, int]

    def may_see(self, code: str) -> bool:
        """Tell whether the school's page and export are theirs to see."""
        return self.coordinator or code in self.schools

    @property
    def allowed(self) -> Collection[str] | None:
        """The schools they may act for; None for a coordinator (every school)."""
        return None if self.coordinator else self.schools.keys()


def viewer(
    session: Mapping[str, Any], uow: UnitOfWork, coordinators: Collection[int], now: datetime
) -> Viewer | None:
    """Return who the session belongs to, or None when nobody (or no longer anybody).

    The cookie alone is not enough: the session must still be open in the database, so
    signing out ends it even for a copy of the cookie.
    """
    user_id, link = session.get(USER), session.get(LINK)
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not isinstance(link, str):
        return None
    if uow.signins.active(link, now - timedelta(hours=SESSION_HOURS)) != user_id:
        return None
    coordinator = user_id in coordinators
    schools = uow.staff.memberships(user_id)
    if not coordinator and not schools:
        return None
    return Viewer(user_id, coordinator, schools)


def sign_in(session: MutableMapping[str, Any], user_id: int, link: str) -> None:
    """Start a new session for the user: whatever the cookie held before is dropped."""
    language = session.get(LANGUAGE)
    session.clear()
    session[USER] = user_id
    session[LINK] = link
    session[CSRF] = secrets.token_urlsafe(32)
    if language:
        session[LANGUAGE] = language


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """Return the session's form token, making one when it has none."""
    token = session.get(CSRF)
    if not isinstance(token, str):
        token = session[CSRF] = secrets.token_urlsafe(32)
    return token


def csrf_ok(session: Mapping[str, Any], sent: object) -> bool:
    """Tell whether a form carried the session's own token (compared in constant time)."""
    token = session.get(CSRF)
    return isinstance(token, str) and isinstance(sent, str) and hmac.compare_digest(token, sent)
