"""After one child: the school chosen, the offer to add another, and what carries over."""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.flow import Flow, StepKind
from bot.engine.ports import Localizer
from bot.engine.state import AnswerValue, SchoolMatch, SessionState
from bot.messages.callbacks import AnotherChild, encode
from bot.messages.replies import Button
from bot.parents import texts as msg

Rows = tuple[tuple[Button, ...], ...]


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


def family_answers(flow: Flow | None, answers: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
    """Return the answers of the steps marked `family`, for the family's next child."""
    if flow is None:
        return {}
    return {s.id: answers[s.id] for s in flow.steps if s.family and s.id in answers}
