"""The Argos adapter on tiny random-weight Argos packages, offline, without argostranslate."""

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
from tests.fakes.argosmodel import build_package, learn_bpe

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
    # Argos 1.11 would download a MiniSBD model to split sentences; here the blocked
    # network would fail that.
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


@pytest.mark.parametrize("missing", ["ctranslate2", "sentencepiece"])
def test_without_the_translate_extra_the_adapter_says_how_to_install_it(
    translator: ArgosTranslator, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(TranslationUnavailableError, match=r"\[translate\]"):
        translator.translate(REMARK, "ar", "nl")
    # Packages are still listed and installed: that needs no model.
    assert len(translator.pairs()) == 2


def test_the_bot_imports_no_model_library_until_it_translates() -> None:
    # A fresh interpreter: loading the bot, its commands and the runtime wiring must not
    # pull in the model libraries, so it works without the extra.
    heavy = ("argostranslate", "ctranslate2", "sacremoses", "sentencepiece", "stanza", "torch")
    code = (
        "import sys, bot.cli, bot.system.build, bot.system.lifecycle, bot.translation.argos;"
        "bot.cli._modules();"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_translating_imports_neither_argostranslate_nor_torch(
    translator: ArgosTranslator,
) -> None:
    folder = str(translator.packages_dir)
    heavy = {"argostranslate", "spacy", "stanza", "torch"}
    code = (
        "import sys, pathlib;"
        "from bot.translation.argos import ArgosTranslator;"
        f"ArgosTranslator(pathlib.Path({folder!r})).translate('Hallo', 'en', 'nl');"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_folder_unpacked_as_argostranslate_does_is_read(
    tmp_path: Path, argos_files: dict[str, Path], translator: ArgosTranslator
) -> None:
    # argostranslate installs by extracting the zip into its packages folder, as is.
    folder = tmp_path / "argos-packages"
    for name in ("ar-en", "en-nl"):
        with zipfile.ZipFile(argos_files[name]) as zipped:
            zipped.extractall(folder)
    theirs = ArgosTranslator(folder)
    assert theirs.pairs() == translator.pairs()
    assert theirs.translate(REMARK, "ar", "nl") == translator.translate(REMARK, "ar", "nl")


def test_installing_lays_packages_out_as_argostranslate_does(
    translator: ArgosTranslator,
) -> None:
    folders = sorted(p.name for p in translator.packages_dir.iterdir())
    assert folders == ["translate-ar_en-1_0", "translate-en_nl-1_0"]
    for folder in folders:
        contents = {p.name for p in (translator.packages_dir / folder).iterdir()}
        assert contents == {"metadata.json", "model", "sentencepiece.model"}


def test_a_newer_version_of_a_pair_is_the_one_used(
    tmp_path: Path, translator: ArgosTranslator
) -> None:
    newer = build_package("en", "nl", tmp_path, seed=9, version="1.9")
    translator.install(newer)
    assert translator.route("ar", "nl") == ["ar-en@1.0", "en-nl@1.9"]
    assert [p.version for p in translator.pairs() if p.target == "nl"] == ["1.9"]


def test_reinstalling_a_package_replaces_it_and_its_loaded_model(
    tmp_path: Path, translator: ArgosTranslator
) -> None:
    before = translator.translate(REMARK, "ar", "en")
    other = tmp_path / "other"
    other.mkdir()
    # The same folder name and version, other weights: what a corrected upload would be.
    translator.install(build_package("ar", "en", other, seed=5))
    after = translator.translate(REMARK, "ar", "en")
    fresh = ArgosTranslator(tmp_path / "fresh")
    fresh.install(other / "translate-ar_en.argosmodel")
    assert after == fresh.translate(REMARK, "ar", "en")
    assert after != before


def test_english_is_the_pivot_when_another_chain_is_as_short(
    tmp_path: Path, argos_files: dict[str, Path]
) -> None:
    adapter = ArgosTranslator(tmp_path / "packages")
    for source, target in (("ar", "de"), ("de", "nl")):
        adapter.install(build_package(source, target, tmp_path, seed=3))
    adapter.install(argos_files["ar-en"])
    adapter.install(argos_files["en-nl"])
    assert adapter.route("ar", "nl") == ["ar-en@1.0", "en-nl@1.0"]
    assert adapter.route("de", "nl") == ["de-nl@1.0"]


def test_a_chain_of_three_packages_is_found_as_argostranslate_finds_it(
    translator: ArgosTranslator, tmp_path: Path
) -> None:
    translator.install(build_package("nl", "tr", tmp_path, seed=4))
    assert translator.route("ar", "tr") == ["ar-en@1.0", "en-nl@1.0", "nl-tr@1.0"]
    assert translator.translate(REMARK, "ar", "tr").package == "ar-en@1.0+en-nl@1.0+nl-tr@1.0"


def test_a_package_with_byte_pair_encoding_translates(
    tmp_path: Path, no_network: list[object]
) -> None:
    # Older Argos packages tokenize with Moses and a bpe.model instead of sentencepiece.
    adapter = ArgosTranslator(tmp_path / "packages")
    adapter.install(build_package("nl", "en", tmp_path, bpe_model=learn_bpe(200)))
    contents = {p.name for p in (tmp_path / "packages" / "translate-nl_en-1_0").iterdir()}
    assert "bpe.model" in contents
    text = "Wij hebben geen laptop thuis. Kan de school helpen?"
    translated = adapter.translate(text, "nl", "en")
    assert translated.package == "nl-en@1.0"
    assert translated.text.strip()
    # Subwords are joined back into words (a random model may still end on one).
    assert "@@ " not in translated.text
    assert adapter.translate(text, "nl", "en") == translated
    assert no_network == []


def test_each_line_is_translated_on_its_own(translator: ArgosTranslator) -> None:
    first, second = "ليس لدينا حاسوب في البيت.", "هل يمكن للمدرسة أن تساعد؟"
    lines = translator.translate(f"{first}\n\n{second}", "ar", "en").text.split("\n")
    assert lines == [
        translator.translate(first, "ar", "en").text,
        "",
        translator.translate(second, "ar", "en").text,
    ]


def test_a_target_prefix_starts_the_output_and_is_taken_off_it(
    tmp_path: Path, argos_files: dict[str, Path]
) -> None:
    # Multilingual packages name the target language by a first token the model must
    # start with; "z" is a piece of the fake's vocabulary.
    plain = ArgosTranslator(tmp_path / "plain")
    plain.install(argos_files["nl-en"])
    prefixed = ArgosTranslator(tmp_path / "prefixed")
    folder = tmp_path / "built"
    folder.mkdir()
    prefixed.install(build_package("nl", "en", folder, seed=3, target_prefix="z"))
    text = "Wij hebben geen laptop thuis."
    assert not prefixed.translate(text, "nl", "en").text.startswith("z")
    assert prefixed.translate(text, "nl", "en") != plain.translate(text, "nl", "en")
