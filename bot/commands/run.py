"""`ouderbrug run`: serve parents on Telegram, by polling or as a webhook server."""

from __future__ import annotations

import argparse
import os
import re
import sys
from email.utils import parseaddr

from bot.settings import Settings

NAME = "run"
SETUP_HELP = (
    "TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather in Telegram (see README.md, "
    "'Running the bot on Telegram') and put it in .env. To try the questions without Telegram, run "
    "`ouderbrug chat`."
)
PREVIEW_NOTE = (
    "TELEGRAM_BOT_TOKEN is not set, so here is the terminal preview of what a parent sees "
    "(`ouderbrug chat`; /quit ends it). To serve parents on Telegram, get a token from "
    "@BotFather (see README.md, 'Running the bot on Telegram') and put it in .env."
)

# Mail domains that never reach another organisation's mail server: receiving servers
# refuse (or silently drop) mail whose sender lives there. RFC 2606 and RFC 6761 names.
_PRIVATE_DOMAINS = ("localhost", "localdomain", "local", "internal", "invalid", "test")
_ADDRESS = re.compile(r"[^@\s]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command and its options."""
    run = commands.add_parser(NAME, help="serve parents on Telegram (upgrades the database first)")
    run.add_argument("--webhook", action="store_true", help="serve Telegram's webhook over HTTP")
    run.add_argument("--workers", type=int, default=1, help="webhook worker processes")


def run(arguments: argparse.Namespace, settings: Settings) -> int:
    """Run until stopped."""
    if settings.telegram_bot_token is None:
        if arguments.webhook:
            print(SETUP_HELP, file=sys.stderr)
            return 2
        return _preview(settings)
    if arguments.webhook and (problem := settings.webhook_secret_problem()) is not None:
        print(problem, file=sys.stderr)
        return 2
    from bot.logs import configure

    configure(settings.log_level)
    if settings.smtp is not None and (problem := undeliverable_sender(settings.smtp_from)):
        print(f"Warning: {problem}", file=sys.stderr)
    # Durations as timedeltas (PTB 23's way) rather than deprecated integers.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    import asyncio

    from bot.telegram.preflight import preflight

    token = settings.telegram_bot_token.get_secret_value()
    problem = asyncio.run(preflight(token, settings.telegram_api_base_url))
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    if arguments.webhook:
        return _webhook(settings, arguments.workers)
    from bot.system.build import build_system
    from bot.system.lifecycle import Lifecycle

    lifecycle = Lifecycle(build_system(settings))
    lifecycle.prepare()
    asyncio.run(lifecycle.poll())
    return 0


def undeliverable_sender(sender: str) -> str | None:
    """Say why mail from SMTP_FROM would be refused by the receiving servers, if it would."""
    reason = _sender_flaw(parseaddr(sender)[1])
    if reason is None:
        return None
    what = f"SMTP_FROM {sender!r} {reason}" if sender.strip() else "SMTP_FROM is empty"
    return (
        f"{what}: the schools' mail servers will refuse the e-mails. "
        "Set SMTP_FROM to an address at your organisation's own mail domain that SMTP_URL "
        "may send from, such as ouderbrug@uw-gemeente.nl."
    )


def _sender_flaw(address: str) -> str | None:
    match = _ADDRESS.fullmatch(address)
    if match is None:
        return "is not an e-mail address"
    domain = match[1].lower()
    labels = domain.split(".")
    if len(labels) == 1 or labels[-1] in _PRIVATE_DOMAINS or labels[-1].isdigit():
        return f"has no public mail domain ({domain})"
    if "example" in labels[-2:]:
        return f"uses a domain reserved for examples ({domain})"
    return None


def _preview(settings: Settings) -> int:
    """Without a token: ready the database as the bot would, then the terminal preview."""
    from bot.commands import chat
    from bot.storage.migrate import upgrade

    print(PREVIEW_NOTE, file=sys.stderr)
    upgrade(settings.database)
    preview = argparse.Namespace(flow=None, lang="nl", school=None, schools=settings.schools_file)
    return chat.run(preview, settings)


def _webhook(settings: Settings, workers: int) -> int:
    import uvicorn

    uvicorn.run(
        "bot.system.webapp:create_app",
        factory=True,
        host=settings.webhook_listen,
        port=settings.webhook_port,
        workers=workers,
        log_level=settings.log_level.lower(),
        # A line per Telegram request says nothing the bot's own log does not, and costs
        # every update its formatting and write.
        access_log=False,
    )
    return 0
