"""What the digest marks a family with, read from its flow's declared meaning."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bot.digests import texts as msg
from bot.digests.model import Section
from bot.engine.flow import Flow, StepKind
from bot.engine.meaning import (
    BASIC_NEEDS,
    DEVICE,
    HELP,
    INTERNET,
    INTERPRETER,
    marked,
    needs,
    urgent,
)
from bot.engine.ports import Localizer

# The digest's own words for the needs the bot knows; a flow may give its own label.
BUILT_IN_LABELS: Final = {
    DEVICE: msg.NEED_NO_DEVICE,
    INTERNET: msg.NEED_NO_INTERNET,
    HELP: msg.NEED_NO_HELP,
    INTERPRETER: msg.NEED_INTERPRETER,
}


def needs_of(flow: Flow, answers: Mapping[str, object]) -> frozenset[str]:
    """Return the keys of the needs the flow's declarations mark in these answers."""
    return frozenset(needs(flow, answers))


def section_of(flow: Flow | None, answers: Mapping[str, object]) -> Section:
    """Return where a new family goes: urgent first, then no device or no internet."""
    if flow is None:
        return Section.OTHER
    if urgent(flow, answers):
        return Section.URGENT
    if needs_of(flow, answers) & BASIC_NEEDS:
        return Section.BASICS
    return Section.OTHER


def mark_labels(flow: Flow | None, answers: Mapping[str, object], texts: Localizer) -> list[str]:
    """Return the family's marks in the digest's language: urgent first, then each need."""
    if flow is None:
        return []
    labels = [urgent_label(flow, texts)] if urgent(flow, answers) else []
    return labels + need_labels(flow, answers, texts)


def urgent_label(flow: Flow, texts: Localizer) -> str:
    """Return what the digest calls an urgent family of this flow, in its language."""
    own = flow.meaning.urgent_label
    if own is None:
        return texts.gettext(msg.NEED_URGENT)
    return texts.pgettext(flow.urgent_context(), own)


def need_labels(flow: Flow, answers: Mapping[str, object], texts: Localizer) -> list[str]:
    """Return the labels of the needs the flow's rules mark, in the digest's language."""
    labels = []
    for need in marked(flow, answers):
        if need.label is not None:
            labels.append(texts.pgettext(flow.need_context(need.key), need.label))
        else:
            labels.append(texts.gettext(BUILT_IN_LABELS[need.key]))
    return labels


def shown_elsewhere(flow: Flow) -> frozenset[str]:
    """Return the steps not listed among a family's answers: its block shows them otherwise.

    The group heads the block and the contact has its own line; a yes/no question the
    urgent rule tests is said by the urgent mark.
    """
    meaning = flow.meaning
    hidden = {step for step in (meaning.group, meaning.contact) if step is not None}
    if meaning.urgent is not None:
        for ref in meaning.urgent.references():
            if flow.has_step(ref.step_id) and flow.step(ref.step_id).kind is StepKind.YESNO:
                hidden.add(ref.step_id)
    return frozenset(hidden)
