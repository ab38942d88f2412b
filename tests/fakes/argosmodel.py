"""Build real .argosmodel files with random weights, for tests and the benchmark.

A package is what Argos Translate installs: a zip holding one folder with metadata.json,
a tokenizer (a sentencepiece model, or the byte-pair merges of older packages) and a
CTranslate2 model. Here the tokenizer is trained on generated words in Latin and Arabic
letters, and the Transformer's weights are random,
so the output is gibberish; but installing, looking up pairs, pivoting, splitting,
tokenizing and decoding all run for real, on this machine, without any download.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import ctranslate2.specs as specs
import numpy as np
import sentencepiece

from bot.translation.bpe import BytePairEncoding

# OpenNMT's special tokens, which CTranslate2 expects in the vocabulary.
SPECIAL = ("<blank>", "<unk>", "<s>", "</s>")
LETTERS = "abcdefghijklmnopqrstuvwxyzäëïöüé" + "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
NAMES = {"ar": "Arabic", "en": "English", "nl": "Dutch", "pl": "Polish", "tr": "Turkish"}


@dataclass(frozen=True, slots=True)
class ModelSize:
    """The shape of the Transformer: layers each side, width, heads, vocabulary."""

    layers: int = 2
    width: int = 32
    heads: int = 2
    ffn: int = 64
    vocabulary: int = 300
    # Sentencepiece pieces to train; the rest of the vocabulary is filler tokens.
    pieces: int = 250
    quantization: str | None = None
    # Added to the end-of-sentence logit, so random weights stop after some tokens
    # instead of always decoding to the length limit.
    eos_bias: float = 0.0


# Its outputs end after about ten tokens, as short sentences do.
TINY = ModelSize(eos_bias=3.5)
# The size of Argos Translate's published models (OpenNMT-py "transformer base").
ARGOS = ModelSize(
    layers=6,
    width=512,
    heads=8,
    ffn=2048,
    vocabulary=50_000,
    pieces=8_000,
    quantization="int8",
    # Outputs then run about as long as their source, as real translations do.
    eos_bias=8.0,
)


def generated_text(lines: int, seed: int = 7) -> list[str]:
    """Return sentences of made-up words, enough to train a sentencepiece model on."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(LETTERS, k=rng.randint(2, 9))) for _ in range(3000)]
    return [
        " ".join(rng.choices(words, k=rng.randint(4, 14))).capitalize() + rng.choice(".?!")
        for _ in range(lines)
    ]


def train_sentencepiece(pieces: int, seed: int = 7) -> bytes:
    """Train a unigram sentencepiece model on generated text; return the model file."""
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(generated_text(max(2000, pieces * 2), seed)),
        model_writer=model,
        vocab_size=pieces,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def learn_bpe(merges: int, seed: int = 7) -> str:
    """Learn byte-pair merges on generated words; return them as a bpe.model (version 0.2).

    The most frequent adjacent pair is merged first, as subword-nmt's learn_bpe does; the
    last letter of a word carries the end-of-word mark.
    """
    words = Counter(w.strip(".?!") for line in generated_text(2000, seed) for w in line.split())
    spelled = Counter({(*w[:-1], w[-1] + "</w>"): n for w, n in words.items() if w})
    codes: list[tuple[str, str]] = []
    for _ in range(merges):
        pairs: Counter[tuple[str, str]] = Counter()
        for symbols, count in spelled.items():
            for pair in pairwise(symbols):
                pairs[pair] += count
        if not pairs:
            break
        best = max(pairs, key=lambda pair: (pairs[pair], pair))
        codes.append(best)
        merged: Counter[tuple[str, ...]] = Counter()
        for symbols, count in spelled.items():
            merged[_joined(symbols, best)] += count
        spelled = merged
    return "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in codes)


def _joined(symbols: tuple[str, ...], pair: tuple[str, str]) -> tuple[str, ...]:
    out: list[str] = []
    i = 0
    while i < len(symbols):
        if symbols[i : i + 2] == pair:
            out.append(pair[0] + pair[1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def vocabulary(sentencepiece_model: bytes, size: int) -> list[str]:
    """Return the CTranslate2 vocabulary: special tokens, the pieces, then filler tokens."""
    processor = sentencepiece.SentencePieceProcessor(model_proto=sentencepiece_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    return _filled([p for p in pieces if p not in SPECIAL], size, "▁filler")


def bpe_vocabulary(bpe_model: str, size: int, seed: int = 7) -> list[str]:
    """Return the CTranslate2 vocabulary of a BPE package: the training text's subwords."""
    with tempfile.TemporaryDirectory() as scratch:
        codes = Path(scratch) / "bpe.model"
        codes.write_text(bpe_model, encoding="utf-8")
        encoding = BytePairEncoding.read(codes)
    words = [w for line in generated_text(2000, seed) for w in line.replace(".", " .").split()]
    subwords = dict.fromkeys(encoding.segment([w.strip("?!") or w for w in words] + ["?", "!"]))
    return _filled(list(subwords), size, "filler")


def _filled(tokens: list[str], size: int, filler: str) -> list[str]:
    tokens = list(SPECIAL) + tokens
    tokens += [f"{filler}{i}" for i in range(max(0, size - len(tokens)))]
    return tokens[: max(size, len(SPECIAL) + 1)]


def transformer(size: ModelSize, tokens: list[str], seed: int) -> specs.TransformerSpec:
    """Return a Transformer specification filled with random weights."""
    rng = np.random.default_rng(seed)
    d, n = size.width, len(tokens)

    def weights(*shape: int) -> Any:
        return (rng.standard_normal(shape) * 0.1).astype(np.float32)

    def norm(layer: Any) -> None:
        layer.gamma = np.ones(d, dtype=np.float32)
        layer.beta = np.zeros(d, dtype=np.float32)

    def ffn(layer: Any) -> None:
        norm(layer.layer_norm)
        layer.linear_0.weight = weights(size.ffn, d)
        layer.linear_1.weight = weights(d, size.ffn)

    spec = specs.TransformerSpec.from_config(size.layers, size.heads)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = weights(n, d)
    norm(encoder.layer_norm)
    for layer in encoder.layer:
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = weights(3 * d, d)
        layer.self_attention.linear[1].weight = weights(d, d)
        ffn(layer.ffn)
    decoder.embeddings.weight = weights(n, d)
    norm(decoder.layer_norm)
    decoder.projection.weight = weights(n, d)
    if size.eos_bias:
        bias = np.zeros(n, dtype=np.float32)
        bias[SPECIAL.index("</s>")] = size.eos_bias
        decoder.projection.bias = bias
    for layer in decoder.layer:
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = weights(3 * d, d)
        layer.self_attention.linear[1].weight = weights(d, d)
        norm(layer.attention.layer_norm)
        layer.attention.linear[0].weight = weights(d, d)
        layer.attention.linear[1].weight = weights(2 * d, d)
        layer.attention.linear[2].weight = weights(d, d)
        ffn(layer.ffn)
    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)
    return spec


def build_package(
    source: str,
    target: str,
    folder: Path,
    size: ModelSize = TINY,
    *,
    sentencepiece_model: bytes | None = None,
    bpe_model: str | None = None,
    seed: int = 1,
    version: str = "1.0",
    target_prefix: str = "",
) -> Path:
    """Write FOLDER/translate-SOURCE_TARGET.argosmodel and return its path.

    With bpe_model the package tokenizes as older Argos packages do (bpe.model and the
    Moses tokenizer), else with a sentencepiece model.
    """
    name = f"translate-{source}_{target}-{version.replace('.', '_')}"
    if bpe_model is not None:
        tokenizer = ("bpe.model", bpe_model.encode("utf-8"))
        tokens = bpe_vocabulary(bpe_model, size.vocabulary)
    else:
        spm_model = sentencepiece_model or train_sentencepiece(size.pieces)
        tokenizer = ("sentencepiece.model", spm_model)
        tokens = vocabulary(spm_model, size.vocabulary)
    spec = transformer(size, tokens, seed)
    spec.validate()
    spec.optimize(quantization=size.quantization)
    metadata = {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": source,
        "from_name": NAMES.get(source, source),
        "to_code": target,
        "to_name": NAMES.get(target, target),
        "type": "translate",
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    archive = folder / f"translate-{source}_{target}.argosmodel"
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = Path(scratch) / "model"
        model_dir.mkdir()
        spec.save(str(model_dir))
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
            zipped.writestr(f"{name}/metadata.json", json.dumps(metadata, indent=2))
            zipped.writestr(f"{name}/{tokenizer[0]}", tokenizer[1])
            for file in sorted(model_dir.iterdir()):
                zipped.write(file, f"{name}/model/{file.name}")
    return archive
