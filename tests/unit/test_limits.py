"""Telegram's limits: texts shortened or split where Telegram counts, never inside a block."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.limits import length, pack, shorten, split

# Letters, an Arabic letter, an emoji (two UTF-16 units) and line breaks.
TEXT = st.text(alphabet="ab ع😀\n", max_size=300)


def test_telegram_counts_an_emoji_twice() -> None:
    assert length("ab") == 2
    assert length("😀") == 2
    assert shorten("😀" * 10, 5) == "😀😀…"


@given(TEXT, st.integers(min_value=2, max_value=50))
def test_a_shortened_text_fits_and_begins_as_the_original(text: str, limit: int) -> None:
    short = shorten(text, limit)

    assert length(short) <= limit
    assert short == text or (short.endswith("…") and text.startswith(short[:-1]))


@given(st.lists(TEXT, max_size=30), st.integers(min_value=10, max_value=400))
def test_packed_blocks_fit_keep_their_order_and_are_never_split(
    blocks: list[str], limit: int
) -> None:
    groups = pack(blocks, limit)

    assert all(length("\n\n".join(group)) <= limit for group in groups)
    flat = [block for group in groups for block in group]
    assert flat == [shorten(block, limit) for block in blocks]


def test_a_block_that_fits_is_whole_in_one_message() -> None:
    blocks = ["x" * 30, "y" * 30, "z" * 30]

    assert pack(blocks, 65) == [["x" * 30, "y" * 30], ["z" * 30]]


@given(TEXT.filter(str.strip), st.integers(min_value=4, max_value=100))
def test_a_split_text_fits_and_loses_no_line(text: str, limit: int) -> None:
    parts = split(text, limit)

    assert all(length(part) <= limit and part.strip() for part in parts)
    short_lines = [line for line in text.split("\n") if line.strip() and length(line) <= limit]
    assert [line for line in "\n".join(parts).split("\n") if line in short_lines] == short_lines
