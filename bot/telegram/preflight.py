"""Before serving: can we reach the Bot API, and does it take our token?"""

from __future__ import annotations

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.telegram.request import AiohttpRequest


async def preflight(token: str, base_url: str) -> str | None:
    """Return a plain sentence of what is wrong, or None when the bot can start."""
    request = AiohttpRequest()
    bot = Bot(token, base_url=base_url, request=request, get_updates_request=request)
    try:
        await bot.get_me()
    except InvalidToken:
        # PTB's own message repeats the token; ours does not.
        return "Telegram refused TELEGRAM_BOT_TOKEN. Copy the token BotFather gave you again."
    except NetworkError as error:
        where = base_url.split("//", 1)[-1].split("/", 1)[0]
        return f"Cannot reach the Telegram Bot API at {where} ({error.message}). Check the network."
    except TelegramError as error:
        return f"The Telegram Bot API answered with an error: {error.message}"
    finally:
        await request.shutdown()
    return None
