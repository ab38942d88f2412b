"""Write a planned flow as a flow file: YAML as a coordinator would, each step naming its row."""

from __future__ import annotations

from typing import Any

import yaml

from bot.engine.flow import StepKind
from bot.flowimport.plan import FormPlan, StepPlan


def flow_yaml(plan: FormPlan, form: str) -> str:
    """Return the flow file's text: the schema line, the flow's keys, then its steps."""
    head = {
        "id": plan.flow_id,
        "version": plan.version,
        "title": plan.title,
        "source_language": plan.source_language,
        "languages": _Row(plan.offered),
    }
    lines = [
        "# yaml-language-server: $schema=./flow.schema.json",
        f"# Imported from {form} by `ouderbrug flows import`.",
        f"# The translations are in locales/; each step names the {plan.origin} it comes from.",
        _dump(head).rstrip("\n"),
        "",
        "steps:",
    ]
    for step in plan.steps:
        named = f": {step.name}" if step.name else ""
        lines.append(f"  # {plan.origin} {step.row}{named}")
        block = _dump([_step(step, plan.source_language)])
        lines.extend("  " + line if line else line for line in block.rstrip("\n").split("\n"))
        lines.append("")
    return "\n".join(lines)


def _step(step: StepPlan, source: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": step.id, "kind": step.kind.value}
    if step.when is not None:
        out["when"] = step.when
    if step.optional and step.kind is not StepKind.MESSAGE:
        out["optional"] = True
    for name in ("min", "max", "max_length"):
        value = getattr(step, name)
        if value is not None:
            out[name] = value
    out["text"] = step.texts[source]
    if step.choices:
        out["choices"] = [_Inline(key=c.key, label=c.labels[source]) for c in step.choices]
    return out


class _Inline(dict[str, Any]):
    """A mapping written on one line, as flows/README.md writes choices."""


class _Row(list[Any]):
    """A list written on one line, as flows/README.md writes languages."""


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper with the flow files' own layout."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # A text over several lines stays readable as a block, the lines kept as they are.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _inline(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


def _row(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Inline, _inline)
_Dumper.add_representer(_Row, _row)


def _dump(value: object) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88)
