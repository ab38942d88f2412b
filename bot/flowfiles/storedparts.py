"""The parts of a stored flow definition that more than one part of it uses: conditions, values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.engine.expr import And, Comparison, Condition, Expr, Not, Or, Value

Json = dict[str, Any]


class StoredFlowError(ValueError):
    """A stored definition that cannot be read: malformed, or of a format with no migration."""


# A condition is kept as its tree, so that reading it back needs no parser; its source
# stays beside it for messages and the summary of a step.


def dump_condition(when: Expr) -> Json:
    """Return a condition as its tree, with its source beside it."""
    if isinstance(when, Condition):
        return {"source": when.source, "body": _dump_expr(when.body)}
    # The loader always wraps a condition with its source; a bare tree has none.
    return {"source": None, "body": _dump_expr(when)}


def load_condition(data: Mapping[str, Any]) -> Expr:
    """Return the condition a stored tree describes."""
    body = _load_expr(data["body"])
    source = data["source"]
    return body if source is None else Condition(body, text(source))


def _dump_expr(expr: Expr) -> Json:
    if isinstance(expr, Comparison):
        return {
            "test": expr.op,
            "step": expr.step_id,
            "position": expr.position,
            "values": list(expr.literals),
        }
    if isinstance(expr, Not):
        return {"not": _dump_expr(expr.operand)}
    if isinstance(expr, And | Or):
        return {type(expr).__name__.lower(): [_dump_expr(o) for o in expr.operands]}
    raise TypeError(f"a condition part of type {type(expr).__name__} cannot be stored")


def _load_expr(data: Mapping[str, Any]) -> Expr:
    if "test" in data:
        literals = tuple(_value(v) for v in data["values"])
        return Comparison(
            text(data["step"]), integer(data["position"]), text(data["test"]), literals
        )
    if "not" in data:
        return Not(_load_expr(data["not"]))
    if "and" in data:
        return And(tuple(_load_expr(o) for o in data["and"]))
    if "or" in data:
        return Or(tuple(_load_expr(o) for o in data["or"]))
    raise StoredFlowError(f"unknown condition part: {sorted(data)}")


# Checked on the way in: a definition that reads as the wrong type would fail much later,
# in the middle of a parent's answer.


def text(value: object) -> str:
    """Return the value, which must be a text."""
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value


def optional_text(value: object) -> str | None:
    """Return the value, which must be a text or None."""
    return None if value is None else text(value)


def integer(value: object) -> int:
    """Return the value, which must be a whole number."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected a whole number, found {value!r}")
    return value


def optional_integer(value: object) -> int | None:
    """Return the value, which must be a whole number or None."""
    return None if value is None else integer(value)


def flag(value: object) -> bool:
    """Return the value, which must be true or false."""
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, found {value!r}")
    return value


def _value(value: object) -> Value:
    return text(value) if isinstance(value, str) else integer(value)
