"""The Argos Translate adapter: runs Argos packages with CTranslate2, as Argos 1.11 does.

argostranslate itself is not needed: it imports stanza and spacy, and with them PyTorch
(1.4 GB together), at import time, only to split sentences, which we do ourselves.
What remains of Argos is small and lives here and beside it: the package format and
the chain of packages through English (packages.py), the tokenizers (tokenizers.py),
and the translation below, with Argos's decoding settings. This module is the only one
that loads a model; it imports CTranslate2 only when it first translates.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.translation.errors import PairNotInstalledError, TranslationUnavailableError
from bot.translation.packages import (
    MODEL,
    Package,
    find_route,
    install_package,
    installed_packages,
)
from bot.translation.ports import Translated
from bot.translation.splitter import split_sentences
from bot.translation.tokenizers import Tokenizer, tokenizer_for

# Argos passes no length limit, so a broken model decodes 256 tokens for every
# sentence; real translations stay well within twice the source plus a margin.
_LENGTH_FACTOR = 2
_LENGTH_MARGIN = 16
# Argos's decoding settings (its defaults for ARGOS_BEAM_SIZE and ARGOS_BATCH_SIZE).
_DECODING: dict[str, Any] = {
    "beam_size": 4,
    "num_hypotheses": 1,
    "length_penalty": 0.2,
    "replace_unknowns": True,
    "max_batch_size": 32,
    "batch_type": "tokens",
}
# What running a package needs; pip's translate extra installs them.
_RUNTIME = ("ctranslate2", "sentencepiece")


def available() -> bool:
    """Tell whether the translate extra is installed (without importing it)."""
    return all(importlib.util.find_spec(name) is not None for name in _RUNTIME)


@dataclass(frozen=True, slots=True)
class Pair:
    """One installed package: it translates from one language into another."""

    source: str
    target: str
    name: str
    version: str


def installed_signature(packages_dir: Path) -> tuple[str, ...]:
    """Return what is in the packages folder, to notice an install without opening it."""
    try:
        return tuple(sorted(p.name for p in packages_dir.iterdir() if p.is_dir()))
    except OSError:
        return ()


class _Model:
    """One package loaded: its CTranslate2 translator and its tokenizer."""

    def __init__(self, package: Package, threads: int) -> None:
        import ctranslate2

        self.package = package
        self.tokenizer: Tokenizer = tokenizer_for(package)
        self._translator = ctranslate2.Translator(
            str(package.path / MODEL),
            device="cpu",
            inter_threads=1,
            intra_threads=threads,
            compute_type="auto",
        )

    def translate(self, text: str) -> str:
        """Translate each line on its own, sentence by sentence, as Argos does."""
        return "\n".join(self._paragraph(line) for line in text.split("\n")).lstrip("\n")

    def _paragraph(self, paragraph: str) -> str:
        sentences = split_sentences(paragraph)
        if not sentences:
            return ""
        tokens = [self.tokenizer.encode(sentence) for sentence in sentences]
        prefix = self.package.target_prefix
        results = self._translator.translate_batch(
            tokens,
            target_prefix=[[prefix]] * len(tokens) if prefix else None,
            max_decoding_length=_LENGTH_FACTOR * max(map(len, tokens)) + _LENGTH_MARGIN,
            **_DECODING,
        )
        # Argos decodes the sentences' tokens together: pieces join across sentences.
        value = self.tokenizer.decode([t for result in results for t in result.hypotheses[0]])
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        # The tokenizer's word marker leaves a space before the first word.
        return value.removeprefix(" ")


class ArgosTranslator:
    """Translates with the Argos packages installed in one folder; loads each model once."""

    def __init__(self, packages_dir: Path, *, threads: int = 1) -> None:
        self._packages_dir = packages_dir
        self._threads = threads
        self._lock = threading.RLock()
        self._seen: tuple[str, ...] | None = None
        self._packages: list[Package] = []
        self._models: dict[Path, _Model] = {}

    @property
    def packages_dir(self) -> Path:
        """Return the folder the packages are installed in."""
        return self._packages_dir

    def translate(self, text: str, source: str, target: str) -> Translated:
        """Translate text; raise PairNotInstalledError when no package or chain covers the pair."""
        if source == target:
            return Translated(text, "")
        if not available():
            raise TranslationUnavailableError()
        with self._lock:
            route = self._route(source, target)
            if route is None:
                raise PairNotInstalledError(source, target)
            for package in route:
                text = self._model(package).translate(text)
            return Translated(text, "+".join(p.label for p in route))

    def route(self, source: str, target: str) -> list[str] | None:
        """Return the packages a translation would go through, or None when there is none."""
        with self._lock:
            route = self._route(source, target)
            return None if route is None else [p.label for p in route]

    def pairs(self) -> list[Pair]:
        """Return the installed translation packages."""
        with self._lock:
            return [Pair(p.source, p.target, p.path.name, p.version) for p in self._installed()]

    def install(self, archive: Path) -> Pair:
        """Install a package file into the folder, offline; return the pair it adds."""
        with self._lock:
            package = install_package(archive, self._packages_dir)
            self._seen = None
        return Pair(package.source, package.target, archive.name, package.version)

    def _route(self, source: str, target: str) -> list[Package] | None:
        return find_route(self._installed(), source, target)

    def _installed(self) -> list[Package]:
        """(Re)read the installed packages when the folder changed since the last look."""
        signature = installed_signature(self._packages_dir)
        if signature != self._seen:
            self._packages = installed_packages(self._packages_dir)
            # A reinstalled or removed package must not be answered by a stale model.
            self._models.clear()
            self._seen = signature
        return self._packages

    def _model(self, package: Package) -> _Model:
        if package.path not in self._models:
            self._models[package.path] = _Model(package, self._threads)
        return self._models[package.path]
