"""`/dashboard` in the bot: a one-time link that signs a coordinator or staff member in."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Collection
from datetime import timedelta

from bot.clock import Clock
from bot.messages.incoming import Incoming
from bot.messages.replies import Replies
from bot.storage.unit import UnitOfWork

log = logging.getLogger(__name__)

# Long enough to open on another device, short enough that a forwarded message goes stale.
LINK_VALID = timedelta(minutes=10)
SENT = (
    "Uw inloglink voor het dashboard (10 minuten geldig, één keer te gebruiken):\n{link}\n\n"
    "Deel hem met niemand: wie hem opent, ziet wat u ziet."
)


def token_hash(token: str) -> str:
    """Return what is stored of a link's secret: its SHA-256, so a copy of the database
    signs nobody in."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class DashboardSignIn:
    """Hands coordinators and active staff their one-time sign-in link; nobody else."""

    def __init__(self, coordinators: Collection[int], address: str, clock: Clock) -> None:
        self._coordinators = frozenset(coordinators)
        self._address = address.rstrip("/")
        self._clock = clock

    def asked(self, uow: UnitOfWork, incoming: Incoming) -> Replies | None:
        """Reply with a new link; None for a parent, whose room answers as to any command."""
        user_id = incoming.user_id
        if user_id not in self._coordinators and not uow.staff.memberships(user_id):
            return None
        token = secrets.token_urlsafe(32)
        now = self._clock.now()
        uow.signins.add(token_hash(token), user_id, now, now + LINK_VALID)
        log.info("a dashboard sign-in link was handed out")
        replies = Replies(incoming.chat_id)
        replies.send(SENT.format(link=f"{self._address}/signin/{token}"))
        return replies
