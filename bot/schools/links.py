"""Telegram deep links into the bot: a school's public parent link and its secret staff link."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Final

# What Telegram accepts after ?start= (https://core.telegram.org/bots/features#deep-linking).
PAYLOAD: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
# A DUO location code: institution (two digits, two letters) and location number.
SCHOOL_CODE: Final = re.compile(r"[0-9]{2}[A-Z]{2}[0-9]{2}")
STAFF_PREFIX: Final = "staff-"
# A parent link that carries a flow: a random token, since a school code and a flow id
# could be written by anyone, and would open a flow the school never handed out.
FLOW_PREFIX: Final = "f-"
# 24 random bytes: 32 URL-safe characters, 192 bits, well within the 64-character payload.
_TOKEN_BYTES: Final = 24
_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{16,58}")
# Telegram usernames: 5 to 32 letters, digits and underscores, starting with a letter.
_USERNAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
# What to do when neither the setting nor the database knows the bot's username.
USERNAME_UNKNOWN: Final = (
    "The bot's username is not known yet. Start the bot once with `ouderbrug run` "
    "(with TELEGRAM_BOT_TOKEN set): it asks Telegram for its username and remembers it. "
    "Or set TELEGRAM_BOT_USERNAME (without the @) in .env or the environment. "
    "Then run this again."
)
# The quiet zone the QR standard asks for, and a size that prints well on a letter.
_QR_BORDER: Final = 4
_QR_PIXELS: Final = 600
_QR_DPI: Final = 300


@dataclass(frozen=True, slots=True)
class ParentLink:
    """A parent arrived by a school's public link."""

    code: str


@dataclass(frozen=True, slots=True)
class FlowLink:
    """A parent arrived by a school's link for one flow; the token names both."""

    token: str


@dataclass(frozen=True, slots=True)
class StaffLink:
    """A staff member arrived by a school's secret invite link."""

    token: str


def school_code(text: str) -> str | None:
    """Return text as a DUO location code ("16ah00" -> "16AH00"), or None if it is not one."""
    code = text.strip().upper()
    return code if SCHOOL_CODE.fullmatch(code) else None


def new_staff_token() -> str:
    """Return a fresh, unguessable staff token."""
    return secrets.token_urlsafe(_TOKEN_BYTES)


def parent_payload(code: str) -> str:
    """Return the start payload of a school's parent link: the school code itself."""
    normalized = school_code(code)
    if normalized is None:
        raise ValueError(f"{code!r} is not a DUO school code")
    return normalized


def flow_payload(token: str) -> str:
    """Return the start payload of a school's parent link for one flow."""
    if not _TOKEN.fullmatch(token):
        raise ValueError("a link token is 16 to 58 letters, digits, '_' or '-'")
    return FLOW_PREFIX + token


def staff_payload(token: str) -> str:
    """Return the start payload of a school's staff invite link."""
    if not _TOKEN.fullmatch(token):
        raise ValueError("a staff token is 16 to 58 letters, digits, '_' or '-'")
    return STAFF_PREFIX + token


def parse_payload(text: str) -> ParentLink | FlowLink | StaffLink | None:
    """Read the payload of /start; None for anything our links never carry."""
    if not PAYLOAD.fullmatch(text):
        return None
    if text.startswith(STAFF_PREFIX):
        token = text.removeprefix(STAFF_PREFIX)
        return StaffLink(token) if _TOKEN.fullmatch(token) else None
    if text.startswith(FLOW_PREFIX):
        token = text.removeprefix(FLOW_PREFIX)
        return FlowLink(token) if _TOKEN.fullmatch(token) else None
    # Only upper case, as parent_payload writes it: a link is copied, never typed.
    return ParentLink(text) if SCHOOL_CODE.fullmatch(text) else None


def deep_link(bot_username: str, payload: str) -> str:
    """Return the t.me link that opens the bot with the payload."""
    username = bot_username.strip().removeprefix("@")
    if not _USERNAME.fullmatch(username):
        raise ValueError(f"{bot_username!r} is not a Telegram bot username")
    if not PAYLOAD.fullmatch(payload):
        raise ValueError(f"{payload!r} is not a valid start payload")
    return f"https://t.me/{username}?start={payload}"


def write_qr(url: str, path: Path) -> Path:
    """Write a QR code of the link as a PNG that prints about 5 cm wide; return its path."""
    import segno

    qr = segno.make_qr(url, error="m")
    # Whole pixels per module, enough for about 600 pixels: 5 cm at 300 dpi.
    width, _ = qr.symbol_size(scale=1, border=_QR_BORDER)
    scale = max(4, round(_QR_PIXELS / width))
    path.parent.mkdir(parents=True, exist_ok=True)
    qr.save(str(path), kind="png", scale=scale, border=_QR_BORDER, dpi=_QR_DPI)
    return path.resolve()
