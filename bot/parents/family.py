"""After one child: the response for that child's school, and the offer to add another."""

from __future__ import annotations

from typing import Any

from bot.engine.flow import Flow, StepKind
from bot.engine.ports import Localizer
from bot.engine.state import AnswerValue, SchoolMatch, SessionState
from bot.messages.callbacks import AnotherChild, encode
from bot.messages.replies import Button
from bot.parents import texts as msg
from bot.storage.models import ParentSession, Response

Rows = tuple[tuple[Button, ...], ...]


def response_for(
    session: ParentSession, flow: Flow, state: SessionState, school: SchoolMatch | None
) -> Response:
    """Return the response of a finished session; without a known school it waits unassigned."""
    return Response(
        parent_id=session.parent_id,
        session_id=session.id,
        school_code=school.code if school else None,
        school_query=None if school else state.context.get("school_query"),
        flow_id=flow.id,
        flow_revision=flow.revision,
        flow_version=flow.version,
        language=state.language,
        child_number=session.child_number,
        answers={k: list(v) if isinstance(v, tuple) else v for k, v in state.answers.items()},
    )


def chosen_school(flow: Flow, state: SessionState) -> str | None:
    """Return what the school step holds: a DUO code, 'not_listed', or None."""
    step = next((s for s in flow.steps if s.kind is StepKind.SCHOOL), None)
    value = state.answers.get(step.id) if step else None
    return value if isinstance(value, str) else None


def another_child_offer(school: SchoolMatch | None, texts: Localizer) -> tuple[str, Rows]:
    """Ask whether there is another child: at the same school, another one, or none."""
    rows: list[tuple[Button, ...]] = []
    if school is not None:
        label = texts.gettext(msg.ANOTHER_SAME_SCHOOL) % {"school": texts.isolate(school.name)}
        rows.append((Button(label, encode(AnotherChild("same"))),))
    rows.append((Button(texts.gettext(msg.ANOTHER_OTHER_SCHOOL), encode(AnotherChild("other"))),))
    rows.append((Button(texts.gettext(msg.ANOTHER_NONE), encode(AnotherChild("none"))),))
    return texts.gettext(msg.ANOTHER_CHILD), tuple(rows)


def family_answers(flow: Flow | None, answers: dict[str, Any]) -> dict[str, AnswerValue]:
    """Return the answers of the steps marked `family`, as the engine holds them."""
    if flow is None:
        return {}
    # JSON gave lists back for multi answers; the engine keeps tuples.
    return {
        s.id: tuple(answers[s.id]) if isinstance(answers[s.id], list) else answers[s.id]
        for s in flow.steps
        if s.family and s.id in answers
    }
