"""Build real .argosmodel files with random weights, for tests and the benchmark.

A package is what Argos Translate installs: a zip holding one folder with metadata.json,
a sentencepiece model and a CTranslate2 model. Here the sentencepiece model is trained on
generated words in Latin and Arabic letters, and the Transformer's weights are random,
so the output is gibberish; but installing, looking up pairs, pivoting, splitting,
tokenizing and decoding all run for real, on this machine, without any download.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ctranslate2.specs as specs
import numpy as np
import sentencepiece

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


def vocabulary(sentencepiece_model: bytes, size: int) -> list[str]:
    """Return the CTranslate2 vocabulary: special tokens, the pieces, then filler tokens."""
    processor = sentencepiece.SentencePieceProcessor(model_proto=sentencepiece_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    tokens = list(SPECIAL) + [p for p in pieces if p not in SPECIAL]
    tokens += [f"▁filler{i}" for i in range(max(0, size - len(tokens)))]
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
    seed: int = 1,
) -> Path:
    """Write FOLDER/translate-SOURCE_TARGET.argosmodel and return its path."""
    name = f"translate-{source}_{target}-1_0"
    spm_model = sentencepiece_model or train_sentencepiece(size.pieces)
    tokens = vocabulary(spm_model, size.vocabulary)
    spec = transformer(size, tokens, seed)
    spec.validate()
    spec.optimize(quantization=size.quantization)
    metadata = {
        "package_version": "1.0",
        "argos_version": "1.0",
        "from_code": source,
        "from_name": NAMES.get(source, source),
        "to_code": target,
        "to_name": NAMES.get(target, target),
        "type": "translate",
    }
    archive = folder / f"translate-{source}_{target}.argosmodel"
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = Path(scratch) / "model"
        model_dir.mkdir()
        spec.save(str(model_dir))
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zipped:
            zipped.writestr(f"{name}/metadata.json", json.dumps(metadata, indent=2))
            zipped.writestr(f"{name}/sentencepiece.model", spm_model)
            for file in sorted(model_dir.iterdir()):
                zipped.write(file, f"{name}/model/{file.name}")
    return archive
