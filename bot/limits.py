"""Telegram's limits on what the bot sends, and the one way our texts are kept within them.

Telegram counts a text's length in UTF-16 code units: an emoji or a rare CJK character
counts twice, so a parent's words may reach the limit sooner than len() says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

# https://core.telegram.org/bots/api#sendmessage: 1-4096 characters after entities parsing.
MESSAGE_LIMIT: Final = 4096
# https://core.telegram.org/bots/api#answercallbackquery: a pop-up of 0-200 characters.
POPUP_LIMIT: Final = 200
# Telegram sets no documented limit on a button's label, but clients cut long labels in
# the middle: ours stay short enough to read whole on a phone.
BUTTON_LABEL_LIMIT: Final = 64
ELLIPSIS: Final = "…"


def length(text: str) -> int:
    """Return the length of a text as Telegram counts it, in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def shorten(text: str, limit: int) -> str:
    """Return the text within `limit`, cut at a character with an ellipsis when too long."""
    if length(text) <= limit:
        return text
    room = limit - length(ELLIPSIS)
    kept = 0
    for index, character in enumerate(text):
        kept += 2 if ord(character) > 0xFFFF else 1
        if kept > room:
            return text[:index].rstrip() + ELLIPSIS
    return text  # not reached: the text was longer than the limit


def pack(blocks: Sequence[str], limit: int, separator: str = "\n\n") -> list[list[str]]:
    """Group blocks, in order, into messages of at most `limit`, never splitting a block.

    A block over the limit on its own (one family with very long remarks) is shortened
    with an ellipsis rather than split, and has a message of its own.
    """
    groups: list[list[str]] = []
    size = 0
    gap = length(separator)
    for block in blocks:
        kept = shorten(block, limit)
        needed = length(kept)
        if groups and size + gap + needed <= limit:
            groups[-1].append(kept)
            size += gap + needed
        else:
            groups.append([kept])
            size = needed
    return groups


def split(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Return a text as messages within the limit, split between lines where it must be."""
    # Every message the bot sends comes here: most are short enough to need no counting.
    if len(text) <= limit // 2 or length(text) <= limit:
        return [text]
    parts = ["\n".join(group).strip("\n") for group in pack(text.split("\n"), limit, "\n")]
    return [part for part in parts if part.strip()]  # Telegram refuses an empty message
