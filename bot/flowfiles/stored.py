"""Flows as stored for sessions under way: parsed definitions in plain JSON, with a format.

A session names the revision it started on and must be able to finish on it long after
the file was edited, and long after the YAML loader has changed. So the database keeps
each revision as the definition the loader made of it (steps, choices, the parsed
conditions), not only as its source: reading one back needs neither the YAML loader nor
the condition parser, and never runs during a parent's update.

Every stored definition says which `"format"` it is written in. When the shape written by
`dump` changes:

1. raise `FORMAT` by one and change `dump` and `load` to the new shape;
2. register a migration from the previous format, in this module:

       @MIGRATIONS.register(1)
       def _steps_have_hints(data: Json) -> Json:
           '''Format 2 gives every step a `hint`; older steps had none.'''
           return {**data, "steps": [{**s, "hint": None} for s in data["steps"]]}

   It takes a definition in format 1 and returns it in format 2; the docstring says why.
   Reading applies every migration from the stored format up to `FORMAT`, one by one,
   so old rows are never rewritten and no migration ever needs to know about a later one;
3. keep a definition of the old format in the tests and check it reads as expected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

from bot.engine.expr import And, Comparison, Condition, Expr, Not, Or, Value
from bot.engine.flow import Choice, Flow, Step, StepKind

# The format `dump` writes; raise it (and register a migration) when the shape changes.
FORMAT: Final = 1

Json = dict[str, Any]
Migration = Callable[[Json], Json]


class StoredFlowError(ValueError):
    """A stored definition that cannot be read: malformed, or of a format with no migration."""


class Migrations:
    """A chain of small migrations, each taking a definition from one format to the next."""

    def __init__(self, current: int) -> None:
        self.current = current
        self._steps: dict[int, Migration] = {}

    def register(self, from_format: int) -> Callable[[Migration], Migration]:
        """Register the function that takes a definition from `from_format` to the next."""

        def add(migration: Migration) -> Migration:
            if from_format in self._steps:
                raise ValueError(f"format {from_format} already has a migration")
            if not 1 <= from_format < self.current:
                raise ValueError(f"no format {from_format + 1} to migrate to")
            self._steps[from_format] = migration
            return migration

        return add

    def upgrade(self, data: Mapping[str, Any]) -> Json:
        """Return the definition in the current format, applying each migration in turn."""
        if not isinstance(data, Mapping):
            raise StoredFlowError(f"the stored flow is not an object: {type(data).__name__}")
        version = data.get("format")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise StoredFlowError(f"the stored flow has no valid format: {version!r}")
        if version > self.current:
            # Written by a newer version of the bot: guessing would misread a session.
            raise StoredFlowError(f"format {version} is newer than this bot's {self.current}")
        upgraded = dict(data)
        while version < self.current:
            if version not in self._steps:
                raise StoredFlowError(f"no migration from format {version}")
            upgraded = self._steps[version](upgraded)
            version += 1
            upgraded["format"] = version
        return upgraded


MIGRATIONS: Final = Migrations(FORMAT)


def dump(flow: Flow) -> Json:
    """Return the flow as plain JSON data in the current format."""
    return {
        "format": FORMAT,
        "id": flow.id,
        "version": flow.version,
        "revision": flow.revision,
        "title": flow.title,
        "source_language": flow.source_language,
        "languages": list(flow.languages),
        # Added without a new format: a definition stored before has no period, as it had none.
        "open_from": _day(flow.open_from),
        "open_until": _day(flow.open_until),
        "steps": [_dump_step(step) for step in flow.steps],
    }


def load(data: Mapping[str, Any], migrations: Migrations = MIGRATIONS) -> Flow:
    """Return the flow a stored definition describes, raising StoredFlowError if it cannot."""
    try:
        return _load_flow(migrations.upgrade(data))
    except StoredFlowError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        # One kind of error for the registry: this revision cannot be used, whatever the cause.
        raise StoredFlowError(f"the stored flow is malformed: {error!r}") from error


def _load_flow(data: Mapping[str, Any]) -> Flow:
    return Flow(
        id=_text(data["id"]),
        version=_integer(data["version"]),
        source_language=_text(data["source_language"]),
        languages=tuple(_text(language) for language in data["languages"]),
        steps=tuple(_load_step(step) for step in data["steps"]),
        title=_text(data["title"]),
        revision=_text(data["revision"]),
        open_from=_read_day(data.get("open_from")),
        open_until=_read_day(data.get("open_until")),
    )


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _read_day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(_text(value))


def _dump_step(step: Step) -> Json:
    return {
        "id": step.id,
        "kind": step.kind.value,
        "text": step.text,
        "label": step.label,
        "choices": [
            {"key": c.key, "label": c.label, "exclusive": c.exclusive} for c in step.choices
        ],
        "optional": step.optional,
        "when": None if step.when is None else _dump_condition(step.when),
        "min": step.min,
        "max": step.max,
        "max_length": step.max_length,
        "declined": step.declined,
        "family": step.family,
    }


def _load_step(data: Mapping[str, Any]) -> Step:
    when = data["when"]
    return Step(
        id=_text(data["id"]),
        kind=StepKind(data["kind"]),
        text=_text(data["text"]),
        label=_optional_text(data["label"]),
        choices=tuple(
            Choice(_text(c["key"]), _text(c["label"]), _flag(c["exclusive"]))
            for c in data["choices"]
        ),
        optional=_flag(data["optional"]),
        when=None if when is None else _load_condition(when),
        min=_optional_integer(data["min"]),
        max=_optional_integer(data["max"]),
        max_length=_optional_integer(data["max_length"]),
        declined=_optional_text(data["declined"]),
        family=_flag(data["family"]),
    )


# A condition is kept as its tree, so that reading it back needs no parser; its source
# stays beside it for messages and the summary of a step.


def _dump_condition(when: Expr) -> Json:
    if isinstance(when, Condition):
        return {"source": when.source, "body": _dump_expr(when.body)}
    # The loader always wraps a condition with its source; a bare tree has none.
    return {"source": None, "body": _dump_expr(when)}


def _load_condition(data: Mapping[str, Any]) -> Expr:
    body = _load_expr(data["body"])
    source = data["source"]
    return body if source is None else Condition(body, _text(source))


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
            _text(data["step"]), _integer(data["position"]), _text(data["test"]), literals
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


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _integer(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected a whole number, found {value!r}")
    return value


def _optional_integer(value: object) -> int | None:
    return None if value is None else _integer(value)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, found {value!r}")
    return value


def _value(value: object) -> Value:
    return _text(value) if isinstance(value, str) else _integer(value)
