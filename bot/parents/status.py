"""What a parent reads on /status: what is stored about them, and what happens next."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.clock import AMSTERDAM, aware
from bot.engine.events import Progress
from bot.engine.flow import Flow
from bot.engine.render import summary_lines
from bot.i18n.localizer import LanguageCatalog
from bot.limits import MESSAGE_LIMIT, pack
from bot.parents import texts as msg
from bot.parents.ports import Schools
from bot.storage.models import Response
from bot.storage.repositories.parents import finished_state

# Finds the flow revision a response was given on.
FlowOf = Callable[[str], Flow | None]


def status_messages(
    responses: Sequence[Response],
    progress: Progress | None,
    schools: Schools,
    texts: LanguageCatalog,
    flow_of: FlowOf,
) -> list[str]:
    """Return /status as messages within Telegram's limit, never splitting one child."""
    blocks = _blocks(responses, progress, schools, texts, flow_of)
    return ["\n\n".join(group) for group in pack(blocks, MESSAGE_LIMIT)]


def _blocks(
    responses: Sequence[Response],
    progress: Progress | None,
    schools: Schools,
    texts: LanguageCatalog,
    flow_of: FlowOf,
) -> list[str]:
    """Return /status in blocks: one per child (a remark may hold blank lines), then the rest."""
    lines = [_response(response, schools, texts, flow_of) for response in responses]
    if progress is not None:
        lines.append(
            texts.gettext(msg.STATUS_IN_PROGRESS)
            % {
                "current": texts.format_number(progress.current),
                "total": texts.format_number(progress.total),
            }
        )
    if not lines:
        return [texts.gettext(msg.STATUS_NOTHING)]
    return [*lines, texts.gettext(msg.STATUS_NEXT)]


def _response(response: Response, schools: Schools, texts: LanguageCatalog, flow_of: FlowOf) -> str:
    """Return one child's line (school, when, in Dutch time) and the answers as stored."""
    school = (
        schools.describe(response.school_code)
        if response.school_code
        else texts.gettext(msg.STATUS_SCHOOL_UNKNOWN)
    )
    # Stored in UTC; parents, like the schools' digests, read Dutch time.
    sent = aware(response.completed_at).astimezone(AMSTERDAM)
    heading = texts.gettext(msg.STATUS_RESPONSE) % {
        "number": texts.format_number(response.child_number),
        "school": texts.isolate(school),
        "date": texts.format_datetime(sent),
    }
    flow = flow_of(response.flow_revision)
    if flow is None:
        return heading
    answers = summary_lines(flow, finished_state(response, flow), texts, schools)
    return f"{heading}\n{answers}" if answers else heading
