"""Copy a flow under a new id, with every translation it has.

Each text of a flow is keyed in the catalogs by a context that starts with the flow's id
("thuissituatie:grade"), so a copy with a new id starts with no translation at all.
Copying gives each such entry a twin under the new id, in the template and in every
language's catalog, so the copy passes `flows check` as the original did.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po
from yaml.nodes import MappingNode, ScalarNode

from bot.flowfiles.document import LONGEST_FLOW_ID
from bot.flowfiles.loader import load_flows
from bot.flowfiles.nodes import ID_PATTERN
from bot.flowfiles.problems import Reporter
from bot.flowfiles.yamltree import compose, read_file
from bot.i18n.catalogs import DOMAIN, template_path


class CopyError(ValueError):
    """A copy that cannot be made, said so that the coordinator knows what to change."""


@dataclass
class Copied:
    """What a copy wrote: the new flow file and the translations copied per catalog."""

    path: Path
    translations: dict[str, int] = field(default_factory=dict)


def copy_flow(source: str, new_id: str, flows_dir: Path, locales_dir: Path) -> Copied:
    """Write the flow `source` (an id, or a file) as `new_id` into the flows folder."""
    if not ID_PATTERN.fullmatch(new_id) or len(new_id) > LONGEST_FLOW_ID:
        raise CopyError(
            f"'{new_id}' is not a valid flow id: use lowercase letters, digits and _, "
            f"starting with a letter, at most {LONGEST_FLOW_ID} characters"
        )
    flows = load_flows(flows_dir).flows
    if new_id in flows:
        raise CopyError(f"there is already a flow '{new_id}' in {flows_dir}")
    target = flows_dir / f"{new_id}.yaml"
    if target.exists():
        raise CopyError(f"{target} exists already; choose another id or remove that file")
    path = _source_path(source, flows_dir, flows)
    old_id, text = _renamed(path, new_id)
    target.write_text(text, encoding="utf-8")
    copied = Copied(target)
    locations = {str(path): str(target)}
    for catalog_path in _catalog_paths(locales_dir):
        count = _copy_entries(catalog_path, old_id, new_id, locations)
        copied.translations[_language_of(catalog_path, locales_dir)] = count
    return copied


def _source_path(source: str, flows_dir: Path, flows: Mapping[str, object]) -> Path:
    candidate = Path(source)
    if candidate.suffix == ".yaml" and candidate.is_file():
        return candidate
    by_id = flows_dir / f"{source}.yaml"
    if source in flows and by_id.is_file():
        return by_id
    for path in sorted(flows_dir.glob("*.yaml")):
        # A flow's file need not be named after its id.
        if _flow_id(path) == source:
            return path
    known = ", ".join(sorted(flows)) or "none"
    raise CopyError(f"there is no flow '{source}' in {flows_dir} (the flows there: {known})")


def _flow_id(path: Path) -> str | None:
    node = _id_node(path)
    return None if node is None else str(node.value)


def _id_node(path: Path) -> ScalarNode | None:
    report = Reporter(str(path))
    data = read_file(path, report)
    root = None if data is None else compose(data, report)
    if not isinstance(root, MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
            return value
    return None


def _renamed(path: Path, new_id: str) -> tuple[str, str]:
    """Return the flow's old id and its file's text with only the id changed."""
    node = _id_node(path)
    if node is None or node.start_mark.buffer is None:
        raise CopyError(f"{path} has errors; run `ouderbrug flows check {path}` and fix them")
    # Replace the id where it is written, so comments and layout stay as they are.
    buffer = node.start_mark.buffer.rstrip("\0")
    start, end = node.start_mark.pointer, node.end_mark.pointer
    return str(node.value), buffer[:start] + new_id + buffer[end:]


def _catalog_paths(locales_dir: Path) -> list[Path]:
    paths = sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    template = template_path(locales_dir)
    return [template, *paths] if template.is_file() else paths


def _language_of(path: Path, locales_dir: Path) -> str:
    return "template" if path == template_path(locales_dir) else path.parent.parent.name


def _copy_entries(path: Path, old_id: str, new_id: str, locations: dict[str, str]) -> int:
    with path.open("rb") as fileobj:
        catalog = read_po(fileobj, domain=DOMAIN)
    prefix = f"{old_id}:"
    twins = [
        _twin(m, new_id + m.context[len(old_id) :], locations)
        for m in catalog
        if m.id and m.context is not None and m.context.startswith(prefix)
    ]
    added = _add_missing(catalog, twins)
    if added:
        with path.open("wb") as fileobj:
            write_po(fileobj, catalog)
    return added


def _twin(message: Message, context: str, locations: dict[str, str]) -> Message:
    twin = copy.deepcopy(message)
    twin.context = context
    twin.locations = [(_relocated(file, locations), line) for file, line in message.locations]
    return twin


def _relocated(file: str, locations: dict[str, str]) -> str:
    for old, new in locations.items():
        # Catalogs name files relative to the project; the copy sits beside the original.
        if Path(old).name == Path(file).name:
            return str(Path(file).with_name(Path(new).name))
    return file


def _add_missing(catalog: Catalog, twins: list[Message]) -> int:
    added = 0
    for twin in twins:
        if catalog.get(twin.id, context=twin.context) is None:
            catalog[twin.id] = twin
            added += 1
    return added
