"""A Babel extraction method for flow YAML files: every text a parent reads, with context."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from bot.flowfiles.loader import parse_flow
from bot.flowfiles.texts import flow_texts
from bot.flowfiles.yamltree import MAX_BYTES

log = logging.getLogger(__name__)

# What Babel expects from an extractor: line, function name, message(s), comments.
Extracted = tuple[int, str, tuple[str, str], list[str]]


def extract_flow(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Yield each translatable text of a flow file as a pgettext call, in file order."""
    name = str(getattr(fileobj, "name", "<flow>"))
    if "pgettext" not in keywords:
        # Babel looks each yielded function up in the keywords and fails on a missing one.
        log.warning("skipping %s: the pgettext keyword is switched off", name)
        return
    # Read one byte past the limit so that the loader can tell a file that is too large.
    data = fileobj.read(MAX_BYTES + 1)
    result = parse_flow(data, name)
    if result.flow is None:
        # A broken flow must not stop extraction of everything else; `flows check`
        # names the problems, and this warning says why the texts are missing.
        errors = [p for p in result.problems if p.is_error]
        log.warning(
            "skipping a flow file with %d error(s), first %s", len(errors), errors[0].format()
        )
        return
    for text in flow_texts(result.flow, result.positions):
        yield text.position.line, "pgettext", (text.context, text.source), [text.comment]
