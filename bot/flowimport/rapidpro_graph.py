"""A RapidPro flow's nodes, exits and translations, read defensively from its JSON."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.flowimport.findings import Findings
from bot.flowimport.languages import language_of

# RapidPro's expressions (@results.color, @contact.name, @(...)) show another value.
EXPRESSION: Final = re.compile(r"(?<![\w.])@(\([^)]*\)|[A-Za-z_][A-Za-z0-9_.]*[A-Za-z0-9_])")


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class Graph:
    """The nodes by uuid in file order, and the translations by language code."""

    nodes: Mapping[str, dict[str, Any]]
    order: tuple[str, ...]
    source: str
    languages: tuple[str, ...]
    localization: Mapping[str, Mapping[str, Any]]

    @classmethod
    def of(
        cls, flow: dict[str, Any], source: str, languages: list[str], findings: Findings
    ) -> Graph | None:
        """Read a flow's nodes; None (reported) when it has none."""
        nodes = {str(n.get("uuid")): n for n in _dicts(flow.get("nodes"))}
        if not nodes:
            findings.error(None, None, None, "the flow has no nodes")
            return None
        raw = flow.get("localization")
        localization = {}
        for written, texts in raw.items() if isinstance(raw, dict) else ():
            code = language_of(str(written))
            if code in languages and isinstance(texts, dict):
                localization[code] = texts
        return cls(nodes, tuple(nodes), source, tuple(languages), localization)

    def number(self, uuid: str) -> int:
        """Return a node's place in the file, from 1, for messages."""
        return self.order.index(uuid) + 1

    def texts(self, item: dict[str, Any], field: str) -> dict[str, str]:
        """Return an action's text or a category's name in every language that has it."""
        found = {self.source: str(item.get(field) or "").strip()}
        for code, texts in self.localization.items():
            entry = texts.get(str(item.get("uuid")))
            values = entry.get(field) if isinstance(entry, dict) else None
            if isinstance(values, list) and values and isinstance(values[0], str):
                found[code] = values[0].strip()
        return {code: text for code, text in found.items() if text}

    def exits(self, node: dict[str, Any]) -> dict[str, str | None]:
        """Return where each exit of a node leads (None: the flow ends there)."""
        found: dict[str, str | None] = {}
        for exit_ in _dicts(node.get("exits")):
            destination = exit_.get("destination_uuid")
            found[str(exit_.get("uuid"))] = str(destination) if destination else None
        return found


def actions(node: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a node's actions."""
    return _dicts(node.get("actions"))


def categories(router: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a router's categories."""
    return _dicts(router.get("categories"))


def tested(router: dict[str, Any]) -> set[str]:
    """Return the uuids of the categories some case of the router leads to."""
    return {str(c.get("category_uuid")) for c in _dicts(router.get("cases"))}
