"""`ouderbrug digest`: show a school's next digest, or send it now."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.digests.making import Made
    from bot.system.build import System

NAME = "digest"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its actions."""
    digest = commands.add_parser(NAME, help="show or send a school's digest")
    actions = digest.add_subparsers(dest="digest_command", required=True)
    preview = actions.add_parser(
        "preview", help="print the next digest; nothing is sent or changed"
    )
    preview.add_argument("code", help="DUO location code, e.g. 16AH00")
    send = actions.add_parser("send", help="send the digest now, outside its schedule")
    send.add_argument("code", help="DUO location code, e.g. 16AH00")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run one digest action; return the exit code."""
    from bot.commands.db import opened
    from bot.commands.schools import not_a_code
    from bot.digests.mail import SmtpUrlError
    from bot.schools.links import school_code
    from bot.storage.migrate import DatabaseNotReadyError

    code = school_code(arguments.code)
    if code is None:
        print(not_a_code(arguments.code), file=sys.stderr)
        return 1
    if arguments.digest_command == "send" and (problem := _token_problem(settings)):
        # Before the digest is made: a digest made but not sent would wait for the bot.
        print(f"{problem} Nothing was sent.", file=sys.stderr)
        return 1
    try:
        with opened(settings) as system:
            try:
                if arguments.digest_command == "preview":
                    print(system.digests.preview(code), end="")
                    return 0
                return _send(system, code)
            except LookupError:
                print(f"There is no school with code {arguments.code!r}.", file=sys.stderr)
                return 1
            except SmtpUrlError as error:
                print(error, file=sys.stderr)
                return 1
    except DatabaseNotReadyError as error:
        print(error, file=sys.stderr)
        return 1


def _token_problem(settings: Settings) -> str | None:
    """Say why this process cannot send to Telegram: no token, or one Telegram refuses."""
    import asyncio
    import os

    token = settings.telegram_bot_token
    if token is None or not token.get_secret_value().strip():
        return (
            "TELEGRAM_BOT_TOKEN is not set: `digest send` delivers the digest from here and "
            "needs the bot's token in .env; without it, the running bot sends the digest at "
            "its time."
        )
    from bot.telegram.preflight import preflight

    # Durations as timedeltas (PTB 23's way), as `run` does, rather than deprecated integers.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    return asyncio.run(preflight(token.get_secret_value().strip(), settings.telegram_api_base_url))


def _send(system: System, code: str) -> int:
    """Make the digest now and deliver it from this process; print what happened."""
    import asyncio

    from telegram.error import TelegramError

    made = system.digests.send_now(code)
    if made is None:
        print(
            f"Nothing to send for {code}: no new or still-open families, or nobody to send to "
            "(no staff joined by the staff link and no e-mail address)."
        )
        return 0
    families = _counted(made.new_count, "new family", "new families")
    messages = _counted(len(made.queued), "Telegram message", "Telegram messages")
    e_mails = _counted(made.mails, "e-mail", "e-mails")
    print(
        f"Digest {made.digest_id} of {code}: {families}, {made.open_count} still open; "
        f"{messages}, {e_mails}."
    )
    mail = system.mail
    try:
        mails = asyncio.run(_deliver(system, made))
    except TelegramError as error:
        # The digest is stored and its messages wait in the outbox: nothing is lost.
        print(
            f"Telegram did not take the messages ({error.message}); the running bot sends "
            "them later.",
            file=sys.stderr,
        )
        return 1
    finally:
        system.work.shutdown()
    if made.mails and mail is not None and not mails:
        print("The e-mail could not be sent yet; the running bot tries again (see its log).")
    return 0


async def _deliver(system: System, made: Made) -> int:
    """Send the digest's messages, then its e-mail; return how many e-mails went out."""
    if made.queued:
        # getMe and the connections: TelegramError when Telegram does not take the token.
        async with system.telegram:
            # The running bot's reclaim time: this sender renews its claims in time.
            sender = system.sender
            # Only this digest: other waiting messages are the running bot's to send.
            await sender.start(sweep=False)
            sender.submit(made.queued)
            await sender.idle()
            await sender.stop()
    mail = system.mail
    if mail is not None and made.mails:
        return await mail.send_due(made.digest_id)
    return 0


def _counted(count: int, one: str, many: str) -> str:
    """Return a count with its noun in the singular or the plural, as English asks."""
    return f"{count} {one if count == 1 else many}"
