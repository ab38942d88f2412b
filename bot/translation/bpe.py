"""Byte-pair encoding as older Argos packages use it (their `bpe.model`), in plain Python.

The file is subword-nmt's list of merges, one pair of symbols a line, the most frequent
first, after an optional `#version: 0.2` line. A word is split into characters, with an
end-of-word mark, and the best-ranked adjacent pair is merged until no pair is a merge;
every piece but a word's last then carries the `@@` separator. This is what Argos 1.11
runs (its copy of subword-nmt's apply_bpe) without vocabulary filtering or glossaries,
which Argos never passes.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

SEPARATOR = "@@"
_END = "</w>"
_VERSION = re.compile(r"^#version:\s*(\S+)")


class BytePairEncoding:
    """The merges of one bpe.model, applied to tokenized text."""

    def __init__(self, merges: list[tuple[str, str]], version: tuple[int, ...] = (0, 2)) -> None:
        if version not in ((0, 1), (0, 2)):
            raise ValueError(f"unknown BPE version {version}")
        # The first occurrence of a pair gives its rank, as in subword-nmt.
        self._ranks: dict[tuple[str, str], int] = {}
        for rank, pair in enumerate(merges):
            self._ranks.setdefault(pair, rank)
        self._version = version
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def read(cls, path: Path) -> BytePairEncoding:
        """Read a bpe.model (subword-nmt codes) file."""
        lines = path.read_text(encoding="utf-8").splitlines()
        version: tuple[int, ...] = (0, 1)
        if lines and (declared := _VERSION.match(lines[0])):
            version = tuple(int(n) for n in re.sub(r"(\.0+)*$", "", declared[1]).split("."))
            lines = lines[1:]
        merges = []
        for number, line in enumerate(lines, start=1):
            pair = line.strip("\r\n ").split(" ")
            if len(pair) != 2:
                raise ValueError(f"{path}: line {number} is not two symbols: {line!r}")
            merges.append((pair[0], pair[1]))
        return cls(merges, version)

    def segment(self, tokens: list[str]) -> list[str]:
        """Split each token into subwords; all but a token's last end in the separator."""
        pieces: list[str] = []
        for token in tokens:
            if not token:
                continue
            *inner, last = self.encode(token)
            pieces += [piece + SEPARATOR for piece in inner]
            pieces.append(last)
        return pieces

    def encode(self, word: str) -> list[str]:
        """Return one word's subwords, merged in the order the file ranks them."""
        if word not in self._cache:
            self._cache[word] = self._merged(word)
        return self._cache[word]

    def _merged(self, word: str) -> list[str]:
        if len(word) == 1:
            return [word]
        # Version 0.2 marks the word's last letter; 0.1 adds the mark as a symbol.
        symbols = [*word, _END] if self._version == (0, 1) else [*word[:-1], word[-1] + _END]
        while len(symbols) > 1:
            ranked = [
                (self._ranks[pair], pair) for pair in pairwise(symbols) if pair in self._ranks
            ]
            if not ranked:
                break
            symbols = _merge(symbols, min(ranked)[1])
        if symbols[-1] == _END:
            symbols = symbols[:-1]
        elif symbols[-1].endswith(_END):
            symbols[-1] = symbols[-1].removesuffix(_END)
        return symbols


def _merge(symbols: list[str], pair: tuple[str, str]) -> list[str]:
    """Join every occurrence of the pair, left to right, never overlapping."""
    merged: list[str] = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            merged.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return merged


def join(pieces: list[str]) -> str:
    """Undo the segmentation: subwords back into space-separated tokens."""
    return " ".join(pieces).replace(SEPARATOR + " ", "")
