"""Keep placeholders intact through machine translation.

A model may translate, reorder or drop a `{school}` or `%(name)s`, and Argos's
sentencepiece decoding turns every `_` into a space. So placeholders never reach the
model: first each is swapped for a numbered marker and the result is accepted only if
every marker comes back exactly once; otherwise the text between the placeholders is
translated piece by piece and the placeholders are put back verbatim where they stood.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Python's %-formatting (named and positional), %% and str.format fields.
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*[sdifr%]|\{[^{}]*\}")
_MARKER = "⟦{}⟧"


def placeholders(text: str) -> list[str]:
    """Return the placeholders in a text, in order."""
    return PLACEHOLDER.findall(text)


def translate_preserving(text: str, translate: Callable[[str], str]) -> str:
    """Translate a text with its placeholders kept exactly as they are."""
    found = placeholders(text)
    if not found:
        return translate(text)
    masked = PLACEHOLDER.sub(_numbered(), text)
    translated = translate(masked)
    markers = [_MARKER.format(n) for n in range(len(found))]
    if all(translated.count(marker) == 1 for marker in markers):
        for marker, original in zip(markers, found, strict=True):
            translated = translated.replace(marker, original)
        return translated
    return _piecewise(text, translate)


def _numbered() -> Callable[[re.Match[str]], str]:
    counter = iter(range(1_000_000))
    return lambda _match: _MARKER.format(next(counter))


def _piecewise(text: str, translate: Callable[[str], str]) -> str:
    """Translate the stretches between placeholders one by one, keeping their spacing."""
    out: list[str] = []
    # With the pattern in a group, split alternates text and placeholder.
    for index, piece in enumerate(re.split(f"({PLACEHOLDER.pattern})", text)):
        core = piece.strip()
        if index % 2 or not any(ch.isalpha() for ch in core):
            out.append(piece)
            continue
        lead = piece[: len(piece) - len(piece.lstrip())]
        trail = piece[len(piece.rstrip()) :]
        out.append(lead + translate(core).strip() + trail)
    return "".join(out)
