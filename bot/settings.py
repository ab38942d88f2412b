"""Settings from the environment and a .env file; .env.example documents each one."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The project folder: flows/ and locales/ live beside the bot package.
PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything that differs between one installation and another."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    flows_dir: Path = Field(default=PROJECT_DIR / "flows")
    locales_dir: Path = Field(default=PROJECT_DIR / "locales")
    default_flow: str = "thuissituatie"
    # A DUO list of school locations, for finding a school by name in the terminal preview.
    schools_file: Path | None = None
    log_level: str = "INFO"


def load_settings() -> Settings:
    """Read the settings now (never at import time)."""
    return Settings()
