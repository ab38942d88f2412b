"""Byte-pair encoding of older Argos packages, on merges small enough to follow by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.translation.bpe import BytePairEncoding, join


def test_merges_apply_in_the_order_the_file_ranks_them() -> None:
    encoding = BytePairEncoding([("l", "o"), ("lo", "w</w>")])
    assert encoding.encode("low") == ["low"]
    # ("lo", "w") is no merge: only a word-final w carries the end mark.
    assert encoding.encode("lower") == ["lo", "w", "e", "r"]


def test_the_best_ranked_pair_wins_wherever_it_stands() -> None:
    encoding = BytePairEncoding([("b", "c</w>"), ("a", "b")])
    assert encoding.encode("abc") == ["a", "bc"]


def test_a_pair_is_merged_left_to_right_without_overlap() -> None:
    encoding = BytePairEncoding([("a", "a")])
    # The last a carries the end mark, so it pairs with no a.
    assert encoding.encode("aaaa") == ["aa", "a", "a"]
    assert encoding.encode("aaa") == ["aa", "a"]


def test_version_one_keeps_the_end_mark_apart() -> None:
    encoding = BytePairEncoding([("w", "</w>"), ("o", "w</w>")], version=(0, 1))
    assert encoding.encode("low") == ["l", "ow"]


def test_every_subword_but_a_words_last_carries_the_separator() -> None:
    encoding = BytePairEncoding([("l", "o")])
    # Empty tokens (from doubled spaces) are dropped; a word-final o is no plain o.
    assert encoding.segment(["lower", "", "o", "lo"]) == [
        "lo@@",
        "w@@",
        "e@@",
        "r",
        "o",
        "l@@",
        "o",
    ]
    assert join(["lo@@", "w@@", "e@@", "r", "o"]) == "lower o"


def test_a_codes_file_is_read_with_its_version(tmp_path: Path) -> None:
    codes = tmp_path / "bpe.model"
    codes.write_text("#version: 0.2\nl o\nlo w</w>\n", encoding="utf-8")
    assert BytePairEncoding.read(codes).encode("low") == ["low"]
    # Without a version line the file is subword-nmt's first format.
    codes.write_text("w </w>\no w</w>\n", encoding="utf-8")
    assert BytePairEncoding.read(codes).encode("low") == ["l", "ow"]


def test_a_line_that_is_not_a_pair_is_refused(tmp_path: Path) -> None:
    codes = tmp_path / "bpe.model"
    codes.write_text("#version: 0.2\nl o\nlow\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        BytePairEncoding.read(codes)
    with pytest.raises(ValueError, match="version"):
        BytePairEncoding([], version=(0, 3))
