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

from bot.engine.flow import Choice, Flow, Step, StepKind
from bot.flowfiles.storedmeaning import dump_meaning, load_meaning, meaning_of_format_1
from bot.flowfiles.storedparts import (
    Json,
    StoredFlowError,
    dump_condition,
    flag,
    integer,
    load_condition,
    optional_integer,
    optional_text,
    text,
)

__all__ = [
    "FORMAT",
    "MIGRATIONS",
    "Json",
    "Migrations",
    "StoredFlowError",
    "dump",
    "dump_from_before_meaning",
    "load",
]

# The format `dump` writes; raise it (and register a migration) when the shape changes.
FORMAT: Final = 2

Migration = Callable[[Json], Json]


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


@MIGRATIONS.register(1)
def _meaning_was_the_default_flows(data: Json) -> Json:
    """Format 2 keeps the flow's `meaning:`; format 1 had none, the bot read fixed step ids.

    Those ids were the default flow's (call_soon, devices, internet, ...), read in every
    flow, so a revision stored before keeps marking its families as it did then.
    """
    return {**data, "meaning": meaning_of_format_1(data["steps"])}


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
        "meaning": dump_meaning(flow.meaning),
    }


def dump_from_before_meaning(flow: Flow) -> Json:
    """Return the definition of a revision stored before flows declared their meaning.

    Its source has no `meaning:`; the bot then read the default flow's step ids in every
    flow, so the definition gets that meaning, as format 1 definitions do when read.
    """
    data = dump(flow)
    meaning = flow.meaning
    declared = (meaning.urgent, meaning.needs, meaning.group, meaning.contact, meaning.wishes)
    if not any(declared):
        data["meaning"] = meaning_of_format_1(data["steps"])
    return data


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
        id=text(data["id"]),
        version=integer(data["version"]),
        source_language=text(data["source_language"]),
        languages=tuple(text(language) for language in data["languages"]),
        steps=tuple(_load_step(step) for step in data["steps"]),
        title=text(data["title"]),
        revision=text(data["revision"]),
        meaning=load_meaning(data["meaning"]),
        open_from=_read_day(data.get("open_from")),
        open_until=_read_day(data.get("open_until")),
    )


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _read_day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(text(value))


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
        "when": None if step.when is None else dump_condition(step.when),
        "min": step.min,
        "max": step.max,
        "max_length": step.max_length,
        "declined": step.declined,
        "family": step.family,
    }


def _load_step(data: Mapping[str, Any]) -> Step:
    when = data["when"]
    return Step(
        id=text(data["id"]),
        kind=StepKind(data["kind"]),
        text=text(data["text"]),
        label=optional_text(data["label"]),
        choices=tuple(
            Choice(text(c["key"]), text(c["label"]), flag(c["exclusive"])) for c in data["choices"]
        ),
        optional=flag(data["optional"]),
        when=None if when is None else load_condition(when),
        min=optional_integer(data["min"]),
        max=optional_integer(data["max"]),
        max_length=optional_integer(data["max_length"]),
        declined=optional_text(data["declined"]),
        family=flag(data["family"]),
    )
