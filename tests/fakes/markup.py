"""Read `parse_mode=HTML` text as Telegram does: plain text plus entities, or a refusal."""

from __future__ import annotations

import html
import re
from typing import Any

_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s>]+)"""
_TAG = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*{_VALUE})?)*)\s*>")
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
# Telegram knows only these named entities, and every numeric one.
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")
_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "span": "spoiler",
}


class EntityParseError(ValueError):
    """The text is not HTML that Telegram accepts."""


def utf16_length(text: str) -> int:
    """Count the UTF-16 code units Telegram measures entity offsets in."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and the entities Telegram makes of `source`."""
    text: list[str] = []
    entities: list[dict[str, Any]] = []
    open_tags: list[tuple[str, int, dict[str, Any]]] = []
    offset = 0  # in UTF-16 code units, like Telegram's
    position = 0
    while position < len(source):
        lt = source.find("<", position)
        chunk = source[position:] if lt < 0 else source[position:lt]
        plain = _ENTITY.sub(lambda match: html.unescape(match.group(0)), chunk)
        text.append(plain)
        offset += utf16_length(plain)
        if lt < 0:
            break
        match = _TAG.match(source, lt)
        byte_offset = len(source[:lt].encode("utf-8"))
        if match is None:
            raise EntityParseError(f"Unsupported start tag at byte offset {byte_offset}")
        closing, name, attributes = match.group(1) == "/", match.group(2).lower(), match.group(3)
        if name not in _ENTITY_TYPES:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
        if closing:
            if not open_tags or open_tags[-1][0] != name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {byte_offset}, expected "</'
                    f'{open_tags[-1][0] if open_tags else name}>", found "</{name}>"'
                )
            _, start, entity = open_tags.pop()
            if offset > start:  # Telegram drops empty entities
                entities.append({**entity, "offset": start, "length": offset - start})
        else:
            open_tags.append((name, offset, _entity(name, attributes, byte_offset)))
        position = match.end()
    if open_tags:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{open_tags[-1][0]}"'
        )
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(text), entities


def _entity(name: str, attributes: str, byte_offset: int) -> dict[str, Any]:
    values = {
        match.group(1).lower(): html.unescape(next((g for g in match.groups()[1:] if g), ""))
        for match in _ATTRIBUTE.finditer(attributes)
    }
    entity: dict[str, Any] = {"type": _ENTITY_TYPES[name]}
    if name == "a":
        if not values.get("href"):
            raise EntityParseError(f"Can't find href attribute at byte offset {byte_offset}")
        entity["url"] = values["href"]
    elif name == "span" and values.get("class") != "tg-spoiler":
        raise EntityParseError(f'Unsupported start tag "span" at byte offset {byte_offset}')
    elif name == "blockquote" and "expandable" in values:
        entity["type"] = "expandable_blockquote"
    # Not modelled: <pre><code class="language-x">, which Telegram folds into one entity.
    return entity
