"""What a parent reads on /status: what is stored about them, and what happens next."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.events import Progress
from bot.i18n.localizer import Localizer
from bot.service import texts as msg
from bot.service.schools import SchoolCatalog
from bot.storage.models import Response


def status_text(
    responses: Sequence[Response],
    progress: Progress | None,
    schools: SchoolCatalog,
    texts: Localizer,
) -> str:
    """Describe the parent's finished responses and the session under way, if any."""
    lines = []
    for response in responses:
        school = (
            schools.describe(response.school_code)
            if response.school_code
            else texts.gettext(msg.STATUS_SCHOOL_UNKNOWN)
        )
        lines.append(
            texts.gettext(msg.STATUS_RESPONSE)
            % {
                "number": texts.format_number(response.child_number),
                "school": texts.isolate(school),
                "date": texts.format_datetime(response.completed_at),
            }
        )
    if progress is not None:
        lines.append(
            texts.gettext(msg.STATUS_IN_PROGRESS)
            % {
                "current": texts.format_number(progress.current),
                "total": texts.format_number(progress.total),
            }
        )
    if not lines:
        return texts.gettext(msg.STATUS_NOTHING)
    return "\n\n".join([*lines, texts.gettext(msg.STATUS_NEXT)])
