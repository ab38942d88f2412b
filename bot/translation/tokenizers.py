"""The two tokenizers Argos packages come with, applied as Argos 1.11 applies them.

A `sentencepiece.model` (every package in today's index) encodes a sentence into pieces
and decodes the model's pieces back. An older package's `bpe.model` needs the Moses
tokenizer around the byte-pair encoding: normalise punctuation, split off punctuation,
segment into subwords; and the reverse on the way out. Each loads its model lazily,
on first use, so listing packages opens no model.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Protocol

from bot.translation import bpe
from bot.translation.packages import BPE, SENTENCEPIECE, Package


class Tokenizer(Protocol):
    """Turns a sentence into the model's tokens and the model's tokens into text."""

    def encode(self, sentence: str) -> list[str]:
        """Return the sentence's tokens."""
        ...

    def decode(self, tokens: list[str]) -> str:
        """Return the text the tokens spell."""
        ...


def tokenizer_for(package: Package) -> Tokenizer:
    """Return the package's tokenizer: sentencepiece when it has one, as Argos prefers."""
    if (package.path / SENTENCEPIECE).exists():
        return SentencePieceTokenizer(package.path / SENTENCEPIECE)
    return MosesBpeTokenizer(package.path / BPE, package.source, package.target)


class SentencePieceTokenizer:
    """A package's sentencepiece model."""

    def __init__(self, model: Path) -> None:
        self._model = model
        self._lock = threading.Lock()
        self._processor: Any = None

    def encode(self, sentence: str) -> list[str]:
        """Return the sentence's pieces."""
        return list(self._loaded().encode(sentence, out_type=str))

    def decode(self, tokens: list[str]) -> str:
        """Return the pieces' text; like Argos, '▁' and '_' become spaces."""
        return str(self._loaded().decode_pieces(tokens)).replace("▁", " ").replace("_", " ")

    def _loaded(self) -> Any:
        with self._lock:
            if self._processor is None:
                import sentencepiece

                self._processor = sentencepiece.SentencePieceProcessor(model_file=str(self._model))
            return self._processor


class MosesBpeTokenizer:
    """A package's bpe.model, between Moses tokenization in the source and target language."""

    def __init__(self, model: Path, source: str, target: str) -> None:
        self._model = model
        self._source = source
        self._target = target
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, Any, bpe.BytePairEncoding] | None = None

    def encode(self, sentence: str) -> list[str]:
        """Return the sentence's subwords."""
        normalizer, tokenizer, _, encoding = self._load()
        words = tokenizer.tokenize(normalizer.normalize(sentence))
        return encoding.segment(" ".join(words).strip("\r\n ").split(" "))

    def decode(self, tokens: list[str]) -> str:
        """Return the subwords joined into words and detokenized for the target language."""
        detokenizer = self._load()[2]
        return str(detokenizer.detokenize(bpe.join(tokens).split(" ")))

    def _load(self) -> tuple[Any, Any, Any, bpe.BytePairEncoding]:
        with self._lock:
            if self._loaded is None:
                from sacremoses.normalize import MosesPunctNormalizer
                from sacremoses.tokenize import MosesDetokenizer, MosesTokenizer

                self._loaded = (
                    MosesPunctNormalizer(self._source),
                    MosesTokenizer(self._source),
                    MosesDetokenizer(self._target),
                    bpe.BytePairEncoding.read(self._model),
                )
            return self._loaded
