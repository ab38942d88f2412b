"""A sent response changed by the family: new answers, and what the school saw before."""

from __future__ import annotations

from bot.clock import aware
from bot.storage.models import Response, utcnow


def changed(response: Response, fresh: Response) -> None:
    """Give a sent response the answers of the session that changed them, in place.

    The answers a digest already showed the school are kept (the first time they change
    after it), so the next digest can say what is different; the response stays in the
    digest it was in, and is listed once more because it changed after that.
    """
    if _seen(response):
        # What the school saw last; a second change before its next digest keeps it.
        response.previous_answers = dict(response.answers)
    for name in ("school_code", "school_query", "flow_id", "flow_revision", "flow_version"):
        setattr(response, name, getattr(fresh, name))
    response.language = fresh.language
    response.answers = fresh.answers
    response.session_id = fresh.session_id
    response.changed_at = utcnow()


def _seen(response: Response) -> bool:
    """Tell whether a digest showed the school the response's answers as they are now."""
    if response.digest_id is None or response.listed_at is None:
        return False
    changed = response.changed_at
    return changed is None or aware(changed) <= aware(response.listed_at)
