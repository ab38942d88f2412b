"""Read typed values out of YAML nodes, reporting wrong types in a coordinator's words."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Final

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.engine.answers import visible_text
from bot.flowfiles.problems import Code, Reporter
from bot.flowfiles.yamltree import position
from bot.i18n.entries import lone_surrogate

NULL_TAG: Final = "tag:yaml.org,2002:null"
INT_TAG: Final = "tag:yaml.org,2002:int"
BOOL_TAG: Final = "tag:yaml.org,2002:bool"
# Step ids, choice keys and flow ids: stored in answers and used in message contexts,
# so they stay plain ASCII words.
ID_PATTERN: Final = re.compile(r"[a-z][a-z0-9_]*")

Items = dict[str, tuple[ScalarNode, Node]]


def suggest(word: str, known: Sequence[str]) -> str:
    """Return " (did you mean 'x'?)" when a known word is close, else ""."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def items(
    node: MappingNode, known: Sequence[str], report: Reporter, step_id: str | None, what: str
) -> Items:
    """Return a mapping's fields by name, reporting unknown and repeated keys."""
    found: Items = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            message = f"a key of {what} must be a plain word"
            report.error(position(key_node), step_id, Code.WRONG_TYPE, message)
            continue
        key = key_node.value
        if key in found:
            # PyYAML would silently keep the last one; one of them is surely a mistake.
            first = position(found[key][0]).line
            message = f"'{key}' is given twice in {what} (first on line {first})"
            report.error(position(key_node), step_id, Code.DUPLICATE_KEY, message)
        elif key not in known:
            message = f"unknown key '{key}'{suggest(key, known)}"
            report.error(position(key_node), step_id, Code.UNKNOWN_KEY, message)
        else:
            found[key] = (key_node, value_node)
    return found


def text(node: Node, name: str, report: Reporter, step_id: str | None) -> str | None:
    """Return a scalar as text, or report that it is missing or not a text."""
    if not isinstance(node, ScalarNode):
        message = f"'{name}' must be a text, not a {_shape(node)}"
        report.error(position(node), step_id, Code.WRONG_TYPE, message)
        return None
    # A plain `no` or `12` is still the text the coordinator typed, so use the source
    # text rather than the type YAML guesses for it.
    # Zero-width characters alone are empty too: Telegram sends no message without text.
    if node.tag == NULL_TAG or not visible_text(node.value):
        report.error(position(node), step_id, Code.MISSING, f"'{name}' is empty")
        return None
    half = lone_surrogate(node.value)
    if half is not None:
        # Written as an escape such as "\ud83d": Telegram refuses the whole message.
        message = (
            f"'{name}' holds half of an emoji (U+{ord(half):04X}) that cannot be sent; "
            "type the emoji itself, or write it whole as \\U0001F600"
        )
        report.error(position(node), step_id, Code.BAD_CHARACTER, message)
        return None
    return str(node.value)


def identifier(
    node: Node, name: str, report: Reporter, step_id: str | None, *, longest: int, why: str
) -> str | None:
    """Return a scalar that must be an id or key (lowercase letters, digits, _), not too long."""
    value = text(node, name, report, step_id)
    if value is None:
        return None
    if not ID_PATTERN.fullmatch(value):
        message = (
            f"'{value}' is not a valid {name}: use lowercase letters, digits and _, "
            "starting with a letter"
        )
        report.error(position(node), step_id, Code.INVALID_ID, message)
        return None
    if len(value) > longest:
        message = (
            f"the {name} is {len(value)} characters long; it can have at most {longest}, {why}"
        )
        report.error(position(node), step_id, Code.TOO_LONG, message)
        return None
    return value


def integer(node: Node, name: str, report: Reporter, step_id: str | None) -> int | None:
    """Return a scalar that must be a whole number."""
    if isinstance(node, ScalarNode) and node.tag == INT_TAG:
        try:
            return SafeConstructor().construct_yaml_int(node)
        except ValueError:
            pass  # Too many digits for Python to read: not a number anyone means.
    message = f"'{name}' must be a whole number, such as 3"
    report.error(position(node), step_id, Code.WRONG_TYPE, message)
    return None


def boolean(node: Node, name: str, report: Reporter, step_id: str | None) -> bool | None:
    """Return a scalar that must be true or false."""
    if isinstance(node, ScalarNode) and node.tag == BOOL_TAG:
        return SafeConstructor().construct_yaml_bool(node)
    report.error(position(node), step_id, Code.WRONG_TYPE, f"'{name}' must be true or false")
    return None


def sequence(node: Node, name: str, report: Reporter, step_id: str | None) -> list[Node] | None:
    """Return the items of a node that must be a list."""
    if isinstance(node, SequenceNode):
        return list(node.value)
    message = f"'{name}' must be a list (each item on its own line starting with '- ')"
    report.error(position(node), step_id, Code.WRONG_TYPE, message)
    return None


def _shape(node: Node) -> str:
    return "list" if isinstance(node, SequenceNode) else "set of keys"
