"""Settings from the environment and a .env file; .env.example documents each one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The project folder: flows/ and locales/ live beside the bot package.
PROJECT_DIR = Path(__file__).resolve().parent.parent
TELEGRAM_API = "https://api.telegram.org/bot"
# Telegram allows 1 to 256 of these characters; anything short can be guessed.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{32,256}")
# A language code as catalogs and flows name it: nl, so, pt_BR, sr_Latn.
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_[A-Z]{2})?")
MAKE_A_SECRET = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'  # noqa: S105


class Settings(BaseSettings):
    """Everything that differs between one installation and another."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    flows_dir: Path = Field(default=PROJECT_DIR / "flows")
    locales_dir: Path = Field(default=PROJECT_DIR / "locales")
    default_flow: str = "thuissituatie"
    # The languages parents may pick, in picker order, comma-separated (nl,en,ar,so). Each
    # needs its catalog in LOCALES_DIR; empty: the launch languages (nl,en,ar,tr,pl,uk).
    languages: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # A DUO list of school locations, for finding a school by name in the terminal preview.
    schools_file: Path | None = None
    log_level: str = "INFO"

    # Storage: empty means the embedded SQLite file below.
    database_url: str = ""
    data_dir: Path = Field(default=PROJECT_DIR / "data")

    # Telegram.
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_API
    # The bot's @username without the @, for links. Empty: the one Telegram's getMe gave
    # at the bot's last start, remembered in the database; set it only to override that.
    telegram_bot_username: str = ""
    # Telegram user ids of the coordinators, comma-separated: they may /reload and get
    # the problems of refused flow files.
    coordinator_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    # Outgoing requests per second; Telegram allows about 30. Raise only for a local server.
    telegram_rate_limit: float = 30.0
    # A message a crashed process claimed but never sent is taken over after this long.
    # A live sender renews its claims well within it (through a flood wait too); every
    # process sharing a database must use the same value.
    outbox_reclaim_seconds: float = 30.0
    # Messages a second a broadcast to many families is sent at, below Telegram's limit so
    # that parents walking the questions are still answered at once while it runs.
    broadcast_rate: float = Field(default=20.0, gt=0)

    # Coordinators' e-mail addresses, comma-separated: told when a staff chat blocked the bot.
    coordinator_emails: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # Digests and e-mail. Empty SMTP_URL: digests go to Telegram only.
    smtp_url: SecretStr | None = None
    # The e-mails' sender: an address at the organisation's own mail domain. The default
    # only works for a local test server; `run` warns about it when SMTP_URL is set.
    smtp_from: str = "ouderbrug@localhost"
    # How often the scheduler looks for digests that are due (and missed ones).
    digest_check_seconds: float = 30.0
    # A family not marked helped is listed again under "still open" after this many days.
    followup_open_days: float = 7.0
    # One reminder after this many hours for a parent who started but did not finish.
    reminder_after_hours: float = 24.0
    # Retention, applied every night by bot/background/retention.py, which holds the rules.
    # Answers of families marked helped are erased this many days after "helped".
    retention_days: int = 90
    # Answers never marked helped (unlisted schools too) go this many days after sending.
    retention_open_days: int = 365
    # Unfinished sessions and their partial answers go this many days after the last answer;
    # a parent with nothing left goes as well.
    retention_session_days: int = 30
    # Copies of sent staff messages, replies and e-mails go this many days after sending.
    retention_message_days: int = 30

    # Privacy, as the consent text tells it: who "we" are and where the statement is.
    organisation_name: str = "Ouderbrug"
    privacy_url: str = ""

    # Webhook mode (`ouderbrug run --webhook`).
    webhook_url: str = ""
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080

    # The web dashboard (`run --webhook` serves it at /dashboard; `ouderbrug dashboard` alone).
    # Its public address, ending in /dashboard, for the sign-in links the bot sends.
    # Empty: WEBHOOK_URL's with /dashboard instead of /telegram, else this machine's.
    dashboard_url: str = ""
    # Signs the dashboard's session cookies; at least 32 characters. Empty: a new one at
    # every start (everyone signs in again after a restart; several workers need one set).
    dashboard_secret: SecretStr | None = None
    # Where `ouderbrug dashboard` listens.
    # The overview's counts are made again in the background when older than this.
    dashboard_refresh_seconds: float = 60.0
    dashboard_listen: str = "127.0.0.1"
    dashboard_port: int = 8090

    # Machine translation of parents' free text (the `translate` extra).
    # Where Argos packages are installed; empty: DATA_DIR/translation-packages.
    translation_packages_dir: Path | None = None

    # Reading questions aloud: the programs that speak (espeak-ng) and encode OGG/Opus
    # (opusenc, Debian's opus-tools), by name on PATH or as a path; and where the voice
    # notes made are kept (empty: data/voice-cache).
    espeak_path: str = "espeak-ng"
    opusenc_path: str = "opusenc"
    voice_cache_dir: Path | None = None
    # Model threads; 1 keeps a core free for the bot on a small machine.
    translation_threads: int = 1
    # Answers waiting in memory; beyond that they wait in the database for the sweep.
    translation_queue_size: int = 1000
    # The part of its time the translator may work (0.01 to 1): it rests in between, so
    # the bot keeps its speed on a small machine (bench/translate.py).
    translation_share: float = 0.25
    # How often pending answers, and packages installed meanwhile, are looked for.
    translation_sweep_seconds: float = 60.0
    # Where `ouderbrug translate download` finds packages; empty: Argos's own index.
    translation_package_index: str = ""

    @field_validator("coordinator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part for part in value.replace(" ", "").split(",") if part]
            if not all(part.isdigit() for part in parts):
                raise ValueError("give Telegram user ids: numbers, separated by commas")
            return [int(part) for part in parts]
        return value

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            wrong = [code for code in value if not _LANGUAGE.fullmatch(str(code))]
            if wrong:
                raise ValueError(
                    f"{', '.join(map(str, wrong))}: give language codes as the catalogs in "
                    "locales/ are named (nl, so, pt_BR), separated by commas"
                )
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        # Checked here, so that every command says so at once, without a traceback. The
        # messages never repeat the URL: it may hold the password.
        from sqlalchemy import make_url
        from sqlalchemy.exc import ArgumentError

        if not value.strip():
            return ""
        example = "postgresql://USER:PASSWORD@HOST:5432/NAME, or empty for SQLite in DATA_DIR"
        try:
            backend = make_url(value.strip()).get_backend_name()
        except ArgumentError:
            raise ValueError(f"it is not a database URL: write {example}") from None
        if backend == "postgres":
            raise ValueError(f"write postgresql:// rather than postgres://, as in {example}")
        if backend not in ("postgresql", "sqlite"):
            raise ValueError(f"Ouderbrug runs on PostgreSQL or SQLite: write {example}")
        return value.strip()

    @field_validator("coordinator_emails", mode="before")
    @classmethod
    def _split_emails(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def smtp(self) -> str | None:
        """Return the SMTP URL, or None when digests go to Telegram only."""
        url = self.smtp_url.get_secret_value() if self.smtp_url else ""
        return url or None

    def webhook_secret_problem(self) -> str | None:
        """Return why WEBHOOK_SECRET cannot guard the webhook, or None when it can.

        Without it anyone who finds the address can post updates in a parent's or staff
        member's name; an empty one would match a request that sends none.
        """
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if WEBHOOK_SECRET.fullmatch(secret):
            return None
        make = f"Make one with `{MAKE_A_SECRET}` and put it in .env as WEBHOOK_SECRET."
        if not secret:
            return f"WEBHOOK_SECRET is not set: Telegram must send it with every update. {make}"
        if len(secret) < 32:
            return f"WEBHOOK_SECRET is too short: use at least 32 characters. {make}"
        return (
            "WEBHOOK_SECRET may hold only letters, digits, _ and -, at most 256 of them "
            f"(Telegram's rule). {make}"
        )

    @property
    def dashboard_address(self) -> str:
        """Return the dashboard's public address, ending in /dashboard."""
        if self.dashboard_url:
            return self.dashboard_url.rstrip("/")
        if self.webhook_url:
            base = self.webhook_url.rstrip("/").removesuffix("/telegram")
            return f"{base}/dashboard"
        return f"http://{self.dashboard_listen}:{self.dashboard_port}/dashboard"

    @property
    def database(self) -> str:
        """Return the database URL, defaulting to SQLite under the data folder."""
        if self.database_url:
            return self.database_url
        return sqlite_url(self.data_dir / "ouderbrug.sqlite3")

    @property
    def translation_packages(self) -> Path:
        """Return the folder of installed translation packages."""
        return self.translation_packages_dir or self.data_dir / "translation-packages"

    @property
    def voice_cache(self) -> Path:
        """Return the folder of the voice notes made for read-aloud questions."""
        return self.voice_cache_dir or self.data_dir / "voice-cache"


def load_settings() -> Settings:
    """Read the settings now (never at import time)."""
    return Settings()


def sqlite_url(path: Path) -> str:
    """Return the URL of an SQLite file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"
