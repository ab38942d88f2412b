"""`ouderbrug digest`: show a school's next digest, or send it now."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.clock import Clock
    from bot.digests.desk import DigestDesk

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
    from bot.clock import SystemClock
    from bot.commands.db import database
    from bot.commands.schools import not_a_code
    from bot.digests.mail import SmtpUrlError
    from bot.flowfiles.registry import FlowRegistry
    from bot.i18n.localizer import Localizers
    from bot.schools.links import school_code
    from bot.storage.db import session_factory
    from bot.storage.migrate import DatabaseNotReadyError
    from bot.system.runtime import digest_desk

    code = school_code(arguments.code)
    if code is None:
        print(not_a_code(arguments.code), file=sys.stderr)
        return 1
    if arguments.digest_command == "send" and (problem := _token_problem(settings)):
        # Before the digest is made: a digest made but not sent would wait for the bot.
        print(f"{problem} Nothing was sent.", file=sys.stderr)
        return 1
    clock = SystemClock()
    try:
        with database(settings) as engine:
            sessions = session_factory(engine)
            registry = FlowRegistry(sessions, settings.flows_dir, settings.locales_dir)
            localizers = Localizers(settings.locales_dir)
            desk = digest_desk(settings, sessions, registry, localizers, clock)
            try:
                if arguments.digest_command == "preview":
                    print(desk.preview(code), end="")
                    return 0
                return _send(settings, sessions, desk, code, clock)
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


def _send(
    settings: Settings,
    sessions: sessionmaker[Session],
    desk: DigestDesk,
    code: str,
    clock: Clock,
) -> int:
    """Make the digest now and deliver it from this process; print what happened."""
    import asyncio

    from telegram.error import TelegramError

    from bot.digests.recipients import StaffChats
    from bot.system.runtime import mail_sender

    made = desk.send_now(code)
    if made is None:
        print(
            f"Nothing to send for {code}: no new or still-open families, or nobody to send to "
            "(no staff joined by the staff link and no e-mail address)."
        )
        return 0
    print(
        f"Digest {made.digest_id} of {code}: {made.new_count} new families, "
        f"{made.open_count} still open; {len(made.queued)} Telegram messages, "
        f"{made.mails} e-mail."
    )
    token = settings.telegram_bot_token
    mail = mail_sender(settings, sessions, clock)
    chats = StaffChats(sessions, clock, settings.coordinator_ids, settings.coordinator_emails)

    async def deliver() -> int:
        if made.queued:
            from telegram import Bot

            from bot.outbox.delivery import Outbox
            from bot.storage.unit import Transactions
            from bot.storage.work import InThreads
            from bot.telegram.sender import Sender

            assert token is not None  # checked by _token_problem before anything was made
            async with Bot(
                token.get_secret_value().strip(), base_url=settings.telegram_api_base_url
            ) as bot:
                # The running bot's reclaim time: this sender renews its claims in time.
                sender = Outbox(
                    Sender(bot),
                    Transactions(sessions),
                    InThreads(),
                    reclaim_after=settings.outbox_reclaim_seconds,
                    on_forbidden=chats.blocked,
                )
                # Only this digest: other waiting messages are the running bot's to send.
                await sender.start(sweep=False)
                sender.submit(made.queued)
                await sender.idle()
                await sender.stop()
        if mail is not None and made.mails:
            return await mail.send_due(made.digest_id)
        return 0

    try:
        mails = asyncio.run(deliver())
    except TelegramError as error:
        # The digest is stored and its messages wait in the outbox: nothing is lost.
        print(
            f"Telegram did not take the messages ({error.message}); the running bot sends "
            "them later.",
            file=sys.stderr,
        )
        return 1
    if made.mails and mail is not None and not mails:
        print("The e-mail could not be sent yet; the running bot tries again (see its log).")
    return 0
