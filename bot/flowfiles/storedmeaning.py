"""A flow's meaning as stored with its revision, and the meaning format-1 revisions had."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from bot.engine.flow import Meaning, Need
from bot.flowfiles.storedparts import Json, dump_condition, load_condition, optional_text, text

ROLES: Final = ("school", "consent", "group", "contact", "wishes")


def dump_meaning(meaning: Meaning) -> Json:
    """Return the declarations as plain JSON data."""
    return {
        "urgent": None if meaning.urgent is None else dump_condition(meaning.urgent),
        "urgent_label": meaning.urgent_label,
        "needs": [
            {"key": n.key, "when": dump_condition(n.when), "label": n.label} for n in meaning.needs
        ],
        **{role: getattr(meaning, role) for role in ROLES},
    }


def load_meaning(data: Mapping[str, Any]) -> Meaning:
    """Return the declarations stored data describes."""
    urgent = data["urgent"]
    needs = tuple(
        Need(text(n["key"]), load_condition(n["when"]), optional_text(n["label"]))
        for n in data["needs"]
    )
    roles = {role: optional_text(data[role]) for role in ROLES}
    return Meaning(
        urgent=None if urgent is None else load_condition(urgent),
        urgent_label=optional_text(data["urgent_label"]),
        needs=needs,
        **roles,
    )


# What the bot read in every flow before flows declared their meaning: these step ids,
# these choices, these Dutch labels (the digest's own texts of that time).
_FORMAT_1_NEEDS: Final = (
    ("device", "devices", "none", None),
    ("smartphone", "devices", "smartphone_only", "alleen een smartphone"),
    ("internet", "internet", "none", None),
    ("mobile_data", "internet", "mobile_only", "alleen mobiele data"),
    ("help", "help_at_home", "no", None),
)


def meaning_of_format_1(steps: Sequence[Mapping[str, Any]]) -> Json:
    """Return, as stored data, the meaning fixed step ids gave a format-1 revision."""
    kinds = {str(s["id"]): str(s["kind"]) for s in steps}
    needs = []
    for key, step_id, value, label in _FORMAT_1_NEEDS:
        if step_id in kinds:
            # A multi answer was found by `has`, a single one by equality, as then.
            test = "has" if kinds[step_id] == "multi" else "=="
            needs.append({"key": key, "when": _test(step_id, test, value), "label": label})
    first = {kind: step_id for step_id, kind in reversed(kinds.items())}
    return {
        "urgent": _test("call_soon", "==", "yes") if "call_soon" in kinds else None,
        "urgent_label": None,
        "needs": needs,
        "school": first.get("school"),
        "consent": first.get("consent"),
        "group": "grade" if "grade" in kinds else None,
        "contact": "contact" if "contact" in kinds else None,
        "wishes": "help_wanted" if "help_wanted" in kinds else None,
    }


def _test(step_id: str, op: str, value: str) -> Json:
    source = f"{step_id} {op} {value}"
    body = {"test": op, "step": step_id, "position": 0, "values": [value]}
    return {"source": source, "body": body}
