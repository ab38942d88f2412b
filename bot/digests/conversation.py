"""Where each family's conversation with the school stands, as lines of its digest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.clock import aware
from bot.digests import texts as msg
from bot.digests.build import Dates
from bot.digests.model import Digest
from bot.engine.ports import Localizer
from bot.storage.models import ConversationMessage
from bot.storage.models.conversations import BLOCKED, PARENT
from bot.storage.unit import UnitOfWork

# A message unanswered this long is called out.
UNANSWERED = timedelta(days=2)


def conversation_lines(
    message: ConversationMessage, now: datetime, texts: Localizer, dates: Dates
) -> tuple[str, ...]:
    """Return the digest lines of a family's conversation, from its latest message."""
    when = dates.moment(message.created_at)
    lines: list[str] = []
    waited = now - aware(message.created_at) >= UNANSWERED
    if message.author == PARENT and waited:
        lines.append(texts.gettext(msg.CONVERSATION_WAITING) % {"when": when})
    elif message.state == BLOCKED:
        lines.append(texts.gettext(msg.CONVERSATION_BLOCKED))
    elif waited:
        lines.append(texts.gettext(msg.CONVERSATION_UNANSWERED) % {"when": when})
    else:
        staff = message.author != PARENT and message.staff_name
        who = message.staff_name if staff else texts.gettext(msg.CONVERSATION_FAMILY)
        lines.append(texts.gettext(msg.CONVERSATION_LAST) % {"when": when, "who": who})
    if message.author != PARENT and message.untranslated:
        lines.append(texts.gettext(msg.CONVERSATION_INTERPRETER))
    return tuple(lines)


def with_conversations(unit: UnitOfWork, digest: Digest, now: datetime, texts: Localizer) -> Digest:
    """Return the digest with each family's conversation state beside its answers."""
    ids: Sequence[int] = [family.response_id for family in digest.families]
    latest = unit.conversations.last_of_families(ids)
    if not latest:
        return digest
    dates = Dates(texts.language)
    families = tuple(
        replace(f, conversation=conversation_lines(latest[f.response_id], now, texts, dates))
        if f.response_id in latest
        else f
        for f in digest.families
    )
    return replace(digest, families=families)
