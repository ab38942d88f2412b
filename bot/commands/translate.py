"""`ouderbrug translate`: install, list and download the machine translation packages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.translation.argos import ArgosTranslator

NAME = "translate"
OFFLINE_HELP = (
    "`translate download` needs internet. On a machine that has it, run "
    "`ouderbrug translate download LANG` there (or fetch the .argosmodel files), copy the "
    "files here and run `ouderbrug translate install FILE.argosmodel`."
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its actions."""
    translate = commands.add_parser(NAME, help="machine translation packages (offline)")
    actions = translate.add_subparsers(dest="translate_command", required=True)
    install = actions.add_parser("install", help="install .argosmodel package files (offline)")
    install.add_argument("files", nargs="+", type=Path, metavar="FILE.argosmodel")
    actions.add_parser("list", help="show installed packages and the languages they cover")
    download = actions.add_parser(
        "download", help="fetch and install packages for languages (needs internet)"
    )
    download.add_argument("languages", nargs="+", metavar="LANG", help="e.g. ar tr pl uk")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run one action; exit 1 on a bad file or no network, 2 without the translate extra."""
    from bot.system.build import build_system
    from bot.translation.errors import TranslationError, TranslationUnavailableError

    translator = build_system(settings).packages
    try:
        if arguments.translate_command == "install":
            return _install(translator, arguments.files)
        if arguments.translate_command == "download":
            return _download(translator, settings, arguments.languages)
        print(_listing(translator, settings.languages))
        return 0
    except TranslationUnavailableError as error:
        print(str(error), file=sys.stderr)
        return 2
    except TranslationError as error:
        print(str(error), file=sys.stderr)
        return 1


def _install(translator: ArgosTranslator, files: list[Path]) -> int:
    for file in files:
        if file.is_dir():
            print(f"{file} is a folder: give the .argosmodel files in it.", file=sys.stderr)
            return 1
        if not file.is_file():
            print(f"{file}: no such file", file=sys.stderr)
            return 1
        pair = translator.install(file)
        print(f"installed {pair.source} → {pair.target} from {file.name}")
    print(f"into {translator.packages_dir}; a running bot picks them up at its next sweep.")
    return 0


def _listing(translator: ArgosTranslator, configured: list[str]) -> str:
    from bot.i18n.catalogs import SOURCE_LANGUAGE
    from bot.i18n.languages import offered_codes

    pairs = translator.pairs()
    lines = [f"Packages in {translator.packages_dir}:"]
    lines += [f"  {p.source} → {p.target}  ({p.name}, version {p.version})" for p in pairs]
    if not pairs:
        lines.append("  none: install with `ouderbrug translate install FILE.argosmodel`")
    others = [code for code in offered_codes(configured) if code != SOURCE_LANGUAGE]
    lines.append(f"Parents' words into Dutch ({SOURCE_LANGUAGE}):")
    lines += [f"  {c}: {_route(translator, c, SOURCE_LANGUAGE)}" for c in others]
    lines.append("Catalogs from Dutch (i18n machine-fill):")
    lines += [f"  {c}: {_route(translator, SOURCE_LANGUAGE, c)}" for c in others]
    return "\n".join(lines)


def _route(translator: ArgosTranslator, source: str, target: str) -> str:
    route = translator.route(source, target)
    if route is None:
        return "not installed (stays untranslated)"
    if len(route) == 1:
        return f"direct ({route[0]})"
    return f"through {' and '.join(route)}"


def _download(translator: ArgosTranslator, settings: Settings, languages: list[str]) -> int:
    from bot.i18n.catalogs import SOURCE_LANGUAGE
    from bot.translation import download

    url = settings.translation_package_index or download.ARGOS_INDEX
    try:
        index = download.fetch_index(url)
    except download.OfflineError as error:
        print(f"{error}.\n{OFFLINE_HELP}", file=sys.stderr)
        return 1
    have = {(p.source, p.target) for p in translator.pairs()}
    entries = {(e.get("from_code"), e.get("to_code")): e for e in index}
    missing = []
    with download.scratch_folder() as scratch:
        for language in languages:
            for pair in download.wanted_pairs(language, SOURCE_LANGUAGE, index):
                if pair in have:
                    continue
                if pair not in entries:
                    missing.append(f"{pair[0]} → {pair[1]}")
                    continue
                installed = translator.install(download.download(entries[pair], Path(scratch)))
                have.add(pair)
                print(f"installed {installed.source} → {installed.target}")
    for pair_name in missing:
        print(f"the index has no package {pair_name}: that way stays untranslated")
    return 0
