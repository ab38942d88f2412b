"""`ouderbrug i18n`: extract, update, compile and check the translation catalogs."""

from __future__ import annotations

import argparse
import sys

from bot.settings import PROJECT_DIR, Settings

NAME = "i18n"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its actions."""
    i18n = commands.add_parser(NAME, help="work with the translation catalogs")
    actions = i18n.add_subparsers(dest="i18n_command", required=True)
    actions.add_parser("extract", help="write locales/ouderbrug.pot from code and flows")
    actions.add_parser("update", help="merge the template into every language's catalog")
    actions.add_parser("compile", help="compile the catalogs to .mo files")
    actions.add_parser("check", help="show how complete each language is, and who reviewed it")
    fill = actions.add_parser(
        "machine-fill",
        help="fill a catalog's empty entries with machine translations, marked fuzzy",
    )
    fill.add_argument("language", metavar="LANG", help="language code, e.g. ar or so")
    names = actions.add_parser(
        "recordings",
        help="list the file name each text's recording has in locales/LANG/audio/, and its text",
    )
    names.add_argument("language", metavar="LANG", help="language code, e.g. ar or tr")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run one catalog action; `check` exits 1 when an offered language is incomplete."""
    from bot.i18n import tools
    from bot.i18n.languages import offered_codes

    offered = offered_codes(settings.languages)

    locales = settings.locales_dir
    action = arguments.i18n_command
    if action == "extract":
        print(f"wrote {tools.extract(PROJECT_DIR, locales)}")
        return 0
    if action == "update":
        # Every catalog there is, offered yet or not, so none falls behind the template.
        languages = [*offered, *sorted(set(tools.catalog_languages(locales)) - set(offered))]
        merged, problems = tools.update(locales, languages)
        for merge in merged:
            print(merge.format())
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        return 0
    if action == "compile":
        tools.compile_catalogs(locales)
        return 0
    if action == "machine-fill":
        return _machine_fill(settings, arguments.language)
    if action == "recordings":
        print(tools.recording_list(locales, arguments.language))
        return 0
    from bot.system.bootstrap import offered_languages

    required = offered_languages(settings)
    # Every language parents can pick must be complete, and every one a flow offers.
    required |= set(offered)
    others = (required | set(tools.catalog_languages(locales))) - set(offered)
    codes = [*offered, *sorted(others)]
    reports = tools.check(locales, codes)
    print(tools.format_check(reports, required))
    incomplete = [r.code for r in reports if r.code in required and not r.complete]
    if incomplete:
        print(f"incomplete languages that a flow is offered in: {', '.join(incomplete)}")
        return 1
    return 0


def _machine_fill(settings: Settings, language: str) -> int:
    from bot.translation.argos import ArgosTranslator
    from bot.translation.errors import TranslationError
    from bot.translation.machine_fill import machine_fill

    translator = ArgosTranslator(settings.translation_packages, threads=2)
    try:
        filled = machine_fill(settings.locales_dir, language, translator)
    except (TranslationError, FileNotFoundError) as error:
        print(f"{error}. See `ouderbrug translate list`.", file=sys.stderr)
        return 1
    print(
        f"{filled.path}: {filled.filled} entries machine-translated and marked fuzzy; "
        "a translator reviews each and removes the fuzzy mark before the bot uses it."
    )
    return 0
