"""`ouderbrug broadcast`: one message to all families of a school or municipality."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.broadcasts.sending import Audience, Plan
    from bot.storage.repositories.broadcasts import Tally
    from bot.system.build import System

NAME = "broadcast"
# A text longer than this would reach a family as several messages once translated.
MAX_CHARACTERS = 3000


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its options."""
    broadcast = commands.add_parser(
        NAME, help="send one message to all families of a school, in each family's language"
    )
    where = broadcast.add_mutually_exclusive_group(required=True)
    where.add_argument("--school", metavar="CODE", help="DUO location code, e.g. 16AH00")
    where.add_argument("--municipality", metavar="NAME", help="every school of a gemeente")
    broadcast.add_argument("--need", metavar="KEY", help="only families with this need")
    broadcast.add_argument(
        "--text-file", type=Path, required=True, help="the message, in Dutch (UTF-8)"
    )
    broadcast.add_argument(
        "--dry-run", action="store_true", help="print the translations and counts; send nothing"
    )


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Check the arguments, then show or send the broadcast; return the exit code."""
    from bot.commands.db import opened
    from bot.storage.migrate import DatabaseNotReadyError

    problem, audience, text = _read(arguments, settings)
    if problem is not None or audience is None:
        print(problem, file=sys.stderr)
        return 1
    if not arguments.dry_run and (problem := _token_problem(settings)):
        print(f"{problem} Nothing was sent.", file=sys.stderr)
        return 1
    # This process sends at the broadcast's own pace, below Telegram's limit.
    rate = min(settings.telegram_rate_limit, settings.broadcast_rate)
    settings = settings.model_copy(update={"telegram_rate_limit": rate})
    try:
        with opened(settings) as system:
            return _run(system, audience, text, dry_run=arguments.dry_run)
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1


def _read(
    arguments: argparse.Namespace, settings: Settings
) -> tuple[str | None, Audience | None, str]:
    """Return what is wrong with the arguments (or None), the audience and the text."""
    from bot.broadcasts.sending import Audience
    from bot.commands.schools import not_a_code
    from bot.digests.needs import known_needs
    from bot.flowfiles.checker import check_files
    from bot.schools.links import school_code

    code = None
    if arguments.school is not None and (code := school_code(arguments.school)) is None:
        return not_a_code(arguments.school), None, ""
    keys = known_needs(check_files([settings.flows_dir], settings.locales_dir).flows.values())
    if arguments.need is not None and arguments.need not in keys:
        known = ", ".join(keys)
        return f"There is no need {arguments.need!r}; the needs are: {known}.", None, ""
    try:
        text = arguments.text_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        return f"Cannot read {arguments.text_file}: {error}", None, ""
    if not text:
        return f"{arguments.text_file} is empty: write the message in it.", None, ""
    if len(text) > MAX_CHARACTERS:
        return (
            f"{arguments.text_file} holds {len(text)} characters; a message to families "
            f"may have {MAX_CHARACTERS}, so that it reaches them as one message.",
            None,
            "",
        )
    municipality = arguments.municipality.strip() if arguments.municipality else None
    return None, Audience(code, municipality, arguments.need), text


def _token_problem(settings: Settings) -> str | None:
    """Say why this process cannot send to Telegram: no token, or one Telegram refuses."""
    import asyncio
    import os

    token = settings.telegram_bot_token
    if token is None or not token.get_secret_value().strip():
        return (
            "TELEGRAM_BOT_TOKEN is not set: `broadcast` sends from here and needs the bot's "
            "token in .env (try --dry-run to see the message without it)."
        )
    from bot.telegram.preflight import preflight

    # Durations as timedeltas (PTB 23's way), as `run` does, rather than deprecated integers.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    return asyncio.run(preflight(token.get_secret_value().strip(), settings.telegram_api_base_url))


def _run(system: System, audience: Audience, text: str, *, dry_run: bool) -> int:
    """Plan the broadcast; print it (dry run) or send it and print the summary."""
    from bot.broadcasts.sending import NoSchoolError

    # A family's needs are read by the flow's own declarations: the flows, loaded as `run` does.
    system.registry.reload()
    try:
        plan = system.broadcasts.plan(audience, text)
    except NoSchoolError:
        print(f"There is no school for {audience.scope!r} in the list.", file=sys.stderr)
        return 1
    if dry_run:
        _print_plan(system, plan, audience)
        return 0
    if not plan.households:
        print(f"No families to send to for {audience.scope}; nothing was sent.")
        return 0
    return _send(system, audience, text, plan)


def _print_plan(system: System, plan: Plan, audience: Audience) -> None:
    """Print each language's text as its families read it, and the counts."""
    from bot.broadcasts.compose import message
    from bot.i18n.languages import language

    need = f", need {audience.need}" if audience.need else ""
    schools = _counted(len(plan.schools), "school", "schools")
    families = _counted(len(plan.households), "family", "families")
    print(f"{families} at {schools} ({audience.scope}{need}).")
    school = plan.schools[0].name
    for code, version in plan.versions.items():
        state = "translated" if version.translated else "NOT TRANSLATED: sent as written"
        state = "as written" if code == "nl" else state
        count = _counted(plan.count(code), "family", "families")
        print(f"\n== {language(code).dutch_name} ({code}): {count}, {state}")
        print(message(version, "nl", school, system.localizers.get(code)))
    print("\nDry run: nothing was sent.")


def _send(system: System, audience: Audience, text: str, plan: Plan) -> int:
    """Store the broadcast (or resume it), send it from here, print the summary."""
    import asyncio

    from telegram.error import TelegramError

    broadcast_id = system.broadcasts.start(audience, text, plan)
    try:
        tally = asyncio.run(_deliver(system, broadcast_id, plan))
    except TelegramError as error:
        # What is queued waits in the outbox: the running bot, or this command again, sends it.
        print(
            f"Telegram did not take the messages ({error.message}); run the same command "
            "again to go on, or the running bot sends what is queued.",
            file=sys.stderr,
        )
        return 1
    finally:
        system.work.shutdown()
    _print_tally(tally)
    return 0


async def _deliver(system: System, broadcast_id: int, plan: Plan) -> Tally:
    """Send the broadcast's copies from this process, with a progress bar on stderr."""
    from tqdm import tqdm

    from bot.broadcasts.delivery import Pace, deliver

    settings = system.settings
    pace = Pace(settings.broadcast_rate, settings.outbox_reclaim_seconds)
    with tqdm(total=len(plan.households), unit="family", file=sys.stderr) as bar:

        def progress(tally: Tally) -> None:
            bar.total = max(bar.total, tally.queued)
            bar.update(tally.finished - bar.n)

        # getMe and the connections: TelegramError when Telegram does not take the token.
        async with system.telegram:
            sender = system.sender
            # Only this broadcast: other waiting messages are the running bot's to send.
            await sender.start(sweep=False)
            try:
                return await deliver(
                    system.broadcasts, broadcast_id, plan, sender, system.work, pace, progress
                )
            finally:
                await sender.stop()


def _print_tally(tally: Tally) -> None:
    """Print what became of the copies: delivered, blocked, not translated, waiting."""
    print(
        f"Delivered: {tally.delivered}. Blocked the bot: {tally.blocked}. "
        f"Not translated: {tally.untranslated}."
    )
    if tally.failed:
        print(f"Could not be sent: {tally.failed} (see the log).")
    if waiting := tally.queued - tally.finished:
        print(
            f"Still waiting: {waiting}, claimed by another sender; the running bot sends "
            "them, or run the same command again."
        )


def _counted(count: int, one: str, many: str) -> str:
    """Return a count with its noun in the singular or the plural, as English asks."""
    return f"{count} {one if count == 1 else many}"
