"""The Argos Translate adapter: the only module that imports argostranslate, and only lazily.

Argos keeps its state in module globals (the packages folder, the languages it found,
one loaded model per pair), so every use goes through one lock and the adapter points
those globals at its own folder before it looks. Argos pivots by itself: with ar→en
and en→nl installed, Arabic translates into Dutch through English.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.translation.errors import (
    BadPackageError,
    PairNotInstalledError,
    TranslationUnavailableError,
)
from bot.translation.ports import Translated
from bot.translation.splitter import split_sentences

# Argos's globals are shared by every adapter in the process.
_ARGOS_LOCK = threading.RLock()
# Argos passes no length limit, so a broken model decodes 256 tokens for every
# sentence; real translations stay well within twice the source plus a margin.
_LENGTH_FACTOR = 2
_LENGTH_MARGIN = 16


def available() -> bool:
    """Tell whether Argos Translate is installed (without importing it)."""
    return importlib.util.find_spec("argostranslate") is not None


@dataclass(frozen=True, slots=True)
class Pair:
    """One installed package: it translates from one language into another."""

    source: str
    target: str
    name: str
    version: str


def installed_signature(packages_dir: Path) -> tuple[str, ...]:
    """Return what is in the packages folder, to notice an install without importing Argos."""
    try:
        return tuple(sorted(p.name for p in packages_dir.iterdir() if p.is_dir()))
    except OSError:
        return ()


def check_package(archive: Path) -> dict[str, Any]:
    """Return a package file's metadata, or raise BadPackageError saying what is wrong."""
    if not zipfile.is_zipfile(archive):
        raise BadPackageError(f"{archive} is not an Argos Translate package (not a zip file)")
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        tops = {name.split("/", 1)[0] for name in names}
        if len(tops) != 1 or any("/" not in name for name in names if not name.endswith("/")):
            raise BadPackageError(f"{archive}: a package holds exactly one folder")
        top = tops.pop()
        try:
            metadata = json.loads(zipped.read(f"{top}/metadata.json"))
        except (KeyError, ValueError) as error:
            raise BadPackageError(f"{archive}: no readable metadata.json ({error})") from None
    if (
        not isinstance(metadata, dict)
        or not metadata.get("from_code")
        or not metadata.get("to_code")
    ):
        raise BadPackageError(f"{archive}: metadata.json names no from_code and to_code")
    if f"{top}/model/model.bin" not in names:
        raise BadPackageError(f"{archive}: no CTranslate2 model (model/model.bin)")
    if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & set(names):
        raise BadPackageError(f"{archive}: no tokenizer (sentencepiece.model or bpe.model)")
    return metadata


class _Splitter:
    """Argos's sentence splitter interface, answered by our own rules."""

    def split_sentences(self, text: str) -> list[str]:
        return split_sentences(text)


class _Bounded:
    """A CTranslate2 translator that never decodes far past the source's length."""

    def __init__(self, translator: Any) -> None:
        self._translator = translator

    def translate_batch(self, tokens: list[list[str]], **options: Any) -> Any:
        longest = max((len(t) for t in tokens), default=0)
        options["max_decoding_length"] = _LENGTH_FACTOR * longest + _LENGTH_MARGIN
        return self._translator.translate_batch(tokens, **options)


class ArgosTranslator:
    """Translates with the Argos packages installed in one folder; loads each model once."""

    def __init__(self, packages_dir: Path, *, threads: int = 1) -> None:
        self._packages_dir = packages_dir
        self._threads = threads
        self._loaded: tuple[str, ...] | None = None
        self._languages: dict[str, Any] = {}

    @property
    def packages_dir(self) -> Path:
        """Return the folder the packages are installed in."""
        return self._packages_dir

    def translate(self, text: str, source: str, target: str) -> Translated:
        """Translate text; raise PairNotInstalledError when no package or chain covers the pair."""
        if source == target:
            return Translated(text, "")
        with _ARGOS_LOCK:
            translation = self._translation(source, target)
            if translation is None:
                raise PairNotInstalledError(source, target)
            return Translated(translation.translate(text), _describe(translation))

    def route(self, source: str, target: str) -> list[str] | None:
        """Return the packages a translation would go through, or None when there is none."""
        with _ARGOS_LOCK:
            translation = self._translation(source, target)
            return None if translation is None else _describe(translation).split("+")

    def pairs(self) -> list[Pair]:
        """Return the installed translation packages."""
        with _ARGOS_LOCK:
            package = self._argos()[0]
            found = [p for p in package.get_installed_packages() if p.type == "translate"]
        return sorted(
            (Pair(p.from_code, p.to_code, p.package_path.name, p.package_version) for p in found),
            key=lambda pair: (pair.source, pair.target),
        )

    def install(self, archive: Path) -> Pair:
        """Install a package file into the folder, offline; return the pair it adds."""
        metadata = check_package(archive)
        with _ARGOS_LOCK:
            package = self._argos()[0]
            package.install_from_path(archive)
            self._loaded = None
        return Pair(
            metadata["from_code"],
            metadata["to_code"],
            archive.name,
            str(metadata.get("package_version", "")),
        )

    def _translation(self, source: str, target: str) -> Any:
        self._load()
        origin, goal = self._languages.get(source), self._languages.get(target)
        if origin is None or goal is None:
            return None
        return origin.get_translation(goal)

    def _load(self) -> None:
        """(Re)read the installed packages when the folder changed since the last look."""
        signature = installed_signature(self._packages_dir)
        translate = self._argos()[1]
        if signature == self._loaded and translate.get_installed_languages.cache_info().currsize:
            return
        translate.get_installed_languages.cache_clear()
        # Argos keeps one loaded model per pair across reloads; a reinstalled or another
        # folder's package must not be answered by a stale one.
        translate.installed_translates.clear()
        languages = translate.get_installed_languages()
        for installed in translate.installed_translates:
            self._prepare(installed.cached_translation.underlying)
        self._languages = {language.code: language for language in languages}
        self._loaded = signature

    def _prepare(self, translation: Any) -> None:
        """Hand Argos our sentence splitter and a translator of our own threads."""
        import ctranslate2

        translation.sentencizer = _Splitter()
        translation.translator = _Bounded(
            ctranslate2.Translator(
                str(translation.pkg.package_path / "model"),
                device="cpu",
                inter_threads=1,
                intra_threads=self._threads,
                compute_type="auto",
            )
        )

    def _argos(self) -> tuple[Any, Any]:
        """Import Argos, pointed at our packages folder; TranslationUnavailableError without it."""
        self._packages_dir.mkdir(parents=True, exist_ok=True)
        # Read by argostranslate.settings at import time (it creates that folder).
        os.environ.setdefault("ARGOS_PACKAGES_DIR", str(self._packages_dir))
        try:
            from argostranslate import package, settings, translate
        except ImportError:
            raise TranslationUnavailableError() from None
        if settings.package_data_dir != self._packages_dir:
            settings.package_data_dir = self._packages_dir
            settings.package_dirs = [self._packages_dir]
            translate.get_installed_languages.cache_clear()
            self._loaded = None
        return package, translate


def _describe(translation: Any) -> str:
    """Name the packages behind a translation: 'ar-en@1.0+en-nl@1.0' for a pivot."""
    if hasattr(translation, "t1"):
        return f"{_describe(translation.t1)}+{_describe(translation.t2)}"
    inner = getattr(translation, "underlying", translation)
    pkg = inner.pkg
    return f"{pkg.from_code}-{pkg.to_code}@{pkg.package_version}"
