"""The Argos adapter on real argostranslate, with tiny random-weight packages, offline."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.settings import PROJECT_DIR
from bot.translation import argos, splitter
from bot.translation.argos import ArgosTranslator, Pair
from bot.translation.errors import (
    BadPackageError,
    PairNotInstalledError,
    TranslationUnavailableError,
)

REMARK = "ليس لدينا حاسوب في البيت. هل يمكن للمدرسة أن تساعد؟"


@pytest.fixture
def translator(tmp_path: Path, argos_files: dict[str, Path]) -> ArgosTranslator:
    """An adapter with ar→en and en→nl installed: Arabic reaches Dutch only by pivoting."""
    adapter = ArgosTranslator(tmp_path / "packages")
    adapter.install(argos_files["ar-en"])
    adapter.install(argos_files["en-nl"])
    return adapter


def test_installed_packages_are_listed_as_pairs(translator: ArgosTranslator) -> None:
    assert [(p.source, p.target) for p in translator.pairs()] == [("ar", "en"), ("en", "nl")]
    assert all(isinstance(p, Pair) and p.version == "1.0" for p in translator.pairs())


def test_arabic_reaches_dutch_through_english(
    translator: ArgosTranslator, no_network: list[object]
) -> None:
    assert translator.route("ar", "nl") == ["ar-en@1.0", "en-nl@1.0"]
    translated = translator.translate(REMARK, "ar", "nl")
    assert translated.package == "ar-en@1.0+en-nl@1.0"
    assert translated.text.strip()
    assert translated.text != REMARK
    # The same model gives the same output: translation is deterministic.
    assert translator.translate(REMARK, "ar", "nl") == translated
    assert no_network == []


def test_translation_splits_sentences_with_our_rules_offline(
    translator: ArgosTranslator, no_network: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Argos 1.11 would download a MiniSBD model here; the blocked network would fail it.
    seen: list[list[str]] = []
    split = splitter.split_sentences

    def spy(text: str) -> list[str]:
        seen.append(split(text))
        return seen[-1]

    monkeypatch.setattr(argos, "split_sentences", spy)
    translator.translate(REMARK, "ar", "en")
    assert seen == [["ليس لدينا حاسوب في البيت.", "هل يمكن للمدرسة أن تساعد؟"]]
    assert no_network == []


def test_a_pair_without_a_package_or_chain_is_refused(translator: ArgosTranslator) -> None:
    # Somali and Tigrinya have no package in the public index: they stay untranslated.
    with pytest.raises(PairNotInstalledError):
        translator.translate("Waan ka xumahay", "so", "nl")
    with pytest.raises(PairNotInstalledError):
        translator.translate("Hallo", "nl", "ar")
    assert translator.route("ti", "nl") is None


def test_a_package_installed_later_is_found_without_a_restart(
    translator: ArgosTranslator, argos_files: dict[str, Path]
) -> None:
    with pytest.raises(PairNotInstalledError):
        translator.translate("Hallo", "nl", "en")
    translator.install(argos_files["nl-en"])
    assert translator.translate("Hallo", "nl", "en").package == "nl-en@1.0"


def test_threads_translating_at_once_get_what_one_thread_gets(
    translator: ArgosTranslator,
) -> None:
    texts = [f"رسالة رقم {n}. شكرا." for n in range(8)]
    alone = [translator.translate(t, "ar", "nl").text for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda t: translator.translate(t, "ar", "nl").text, texts))
    assert together == alone


def test_a_file_that_is_no_package_is_refused_with_the_reason(tmp_path: Path) -> None:
    adapter = ArgosTranslator(tmp_path / "packages")
    not_zip = tmp_path / "notes.argosmodel"
    not_zip.write_text("hello")
    with pytest.raises(BadPackageError, match="not a zip"):
        adapter.install(not_zip)
    no_metadata = tmp_path / "empty.argosmodel"
    with zipfile.ZipFile(no_metadata, "w") as zipped:
        zipped.writestr("translate-xx/model/model.bin", b"")
    with pytest.raises(BadPackageError, match=r"metadata\.json"):
        adapter.install(no_metadata)
    # Nothing half-installed is left for the next look to trip over.
    assert argos.installed_signature(tmp_path / "packages") == ()


def test_without_argostranslate_the_adapter_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "argostranslate", None)
    with pytest.raises(TranslationUnavailableError, match=r"\[translate\]"):
        ArgosTranslator(tmp_path / "packages").translate("Hallo", "nl", "en")


def test_the_bot_imports_no_argostranslate_until_it_translates() -> None:
    # A fresh interpreter: loading the bot, its commands and the runtime wiring must not
    # pull in argostranslate (nor torch behind it), so it works without the extra.
    code = (
        "import sys, bot.cli, bot.runtime, bot.translation.argos;"
        "bot.cli._modules();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('argostranslate', 'torch')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
