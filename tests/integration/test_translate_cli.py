"""`ouderbrug translate` and `ouderbrug i18n machine-fill`, on tiny real packages."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.cli import main
from bot.i18n.catalogs import load_translations, po_path
from bot.settings import PROJECT_DIR
from bot.translation.placeholders import placeholders
from tests.conftest import CliResult

Run = Callable[..., CliResult]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the command line with its own packages folder and a copy of the catalogs."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(PROJECT_DIR / "locales", tmp_path / "locales")
    monkeypatch.setenv("LOCALES_DIR", str(tmp_path / "locales"))
    monkeypatch.setenv("TRANSLATION_PACKAGES_DIR", str(tmp_path / "packages"))

    def ouderbrug(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return ouderbrug


def test_install_then_list_shows_pairs_and_what_they_cover(
    run: Run, argos_files: dict[str, Path], no_network: list[object]
) -> None:
    result = run("translate", "install", str(argos_files["ar-en"]), str(argos_files["en-nl"]))
    assert result.code == 0, result.err
    assert "installed ar → en" in result.out
    assert "installed en → nl" in result.out
    listing = run("translate", "list")
    assert listing.code == 0
    assert "ar → en  (translate-ar_en-1_0, version 1.0)" in listing.out
    assert "  ar: through ar-en@1.0 and en-nl@1.0" in listing.out
    assert "  en: direct (en-nl@1.0)" in listing.out
    assert "  tr: not installed (stays untranslated)" in listing.out
    assert no_network == []


def test_install_refuses_a_bad_file_with_the_reason(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(b"not a package")
    result = run("translate", "install", str(bad))
    assert result.code == 1
    assert "not a zip file" in result.err
    missing = run("translate", "install", str(tmp_path / "nowhere.argosmodel"))
    assert (missing.code, "no such file" in missing.err) == (1, True)


def test_install_of_a_folder_says_it_is_a_folder(run: Run, tmp_path: Path) -> None:
    result = run("translate", "install", str(tmp_path))

    assert result.code == 1
    assert result.err == f"{tmp_path} is a folder: give the .argosmodel files in it.\n"


def test_download_offline_says_what_to_do_instead(
    run: Run, monkeypatch: pytest.MonkeyPatch, no_network: list[object]
) -> None:
    monkeypatch.setenv("TRANSLATION_PACKAGE_INDEX", "https://index.example.org/index.json")
    result = run("translate", "download", "ar")
    assert result.code == 1
    assert "cannot reach the package index https://index.example.org/index.json" in result.err
    assert "ouderbrug translate install FILE.argosmodel" in result.err
    assert no_network  # it did try, and the blocked network refused


@pytest.fixture
def index_server(argos_files: dict[str, Path], tmp_path: Path) -> Iterator[str]:
    """Serve a package index and its files on loopback, as Argos's index is served."""
    folder = tmp_path / "served"
    folder.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        functools.partial(QuietHandler, directory=str(folder)),
    )
    base = f"http://127.0.0.1:{server.server_address[1]}"
    entries = []
    for name, file in argos_files.items():
        source, target = name.split("-")
        shutil.copy(file, folder / file.name)
        entries.append({"from_code": source, "to_code": target, "links": [f"{base}/{file.name}"]})
    (folder / "index.json").write_text(json.dumps(entries))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{base}/index.json"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_download_fetches_both_ways_through_english(
    run: Run, monkeypatch: pytest.MonkeyPatch, index_server: str
) -> None:
    monkeypatch.setenv("TRANSLATION_PACKAGE_INDEX", index_server)
    result = run("translate", "download", "ar")
    assert result.code == 0, result.err
    for pair in ("ar → en", "en → nl", "nl → en", "en → ar"):
        assert f"installed {pair}" in result.out
    assert "  ar: through ar-en@1.0 and en-nl@1.0" in run("translate", "list").out
    # Everything is there now: a second download fetches nothing.
    assert "installed" not in run("translate", "download", "ar").out


def test_machine_fill_starts_a_catalog_for_review_only(
    run: Run, argos_files: dict[str, Path], tmp_path: Path, no_network: list[object]
) -> None:
    run("translate", "install", str(argos_files["nl-en"]), str(argos_files["en-ar"]))
    locales = tmp_path / "locales"
    po_path(locales, "ar").unlink()  # a language without a catalog yet
    result = run("i18n", "machine-fill", "ar")
    assert result.code == 0, result.err
    with po_path(locales, "ar").open("rb") as fileobj:
        catalog = read_po(fileobj, locale="ar")
    messages = [m for m in catalog if m.id]
    assert messages
    assert all(m.fuzzy for m in messages)
    assert all(any("Machine-translated" in c for c in m.user_comments) for m in messages)
    for message in messages:
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings)
        for string in strings:
            # Every placeholder of the source survives, spelled exactly as it was.
            source = str(sources[-1])
            assert sorted(placeholders(str(string))) == sorted(placeholders(source)), source
    plural = next(m for m in messages if isinstance(m.id, tuple))
    assert isinstance(plural.string, tuple)
    assert len(plural.string) == catalog.num_plurals == 6
    # The bot never uses a fuzzy entry: parents still see the Dutch text.
    translations = load_translations(locales, "ar")
    assert all(translations.gettext(str(m.id)) == m.id for m in messages if isinstance(m.id, str))
    assert no_network == []


def test_machine_fill_leaves_translated_entries_alone(
    run: Run, argos_files: dict[str, Path], tmp_path: Path
) -> None:
    run("translate", "install", str(argos_files["nl-en"]), str(argos_files["en-ar"]))
    path = po_path(tmp_path / "locales", "ar")
    before = path.read_text(encoding="utf-8")
    result = run("i18n", "machine-fill", "ar")
    assert result.code == 0
    assert "0 entries machine-translated" in result.out
    assert path.read_text(encoding="utf-8").count("fuzzy") == before.count("fuzzy")


def test_machine_fill_without_a_package_says_so(run: Run) -> None:
    # Amharic: no catalog shipped and no package installed (Somali now has a full catalog).
    result = run("i18n", "machine-fill", "am")
    assert result.code == 1
    assert "no translation package installed for nl → am" in result.err
