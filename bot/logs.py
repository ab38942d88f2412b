"""Logging for the running bot: counts and ids, never what parents wrote.

At INFO an operator reads one line per event that matters (migrations run, flows
loaded, polling started, an update dropped), not the libraries' own machinery.
"""

from __future__ import annotations

import logging

# httpx logs every request URL at INFO, and Telegram's URLs contain the bot token:
# kept to warnings at every level.
TOKEN_IN_URLS = ("httpx", "httpcore")
# Loggers that speak at INFO only of their own workings; their warnings still show.
QUIET = (
    # Alembic names each autogenerate plugin it sets up, on every start.
    "alembic.runtime.plugins",
    # APScheduler: "Adding job tentatively", "Added job", and two lines for every run of
    # a job that checks for due digests twice a minute. Failing jobs are logged at ERROR.
    "apscheduler",
    # "Application started" and "stop() complete": the bot says it starts polling itself.
    "telegram.ext.Application",
)
# Alembic's migration logger also says which migrations ran, which is worth a line.
ALEMBIC_SETUP = ("Context impl", "Will assume")


class _WithoutAlembicSetup(logging.Filter):
    """Drop Alembic's lines about its database dialect, keep those about migrations."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Tell whether the record is worth a line."""
        return not str(record.msg).startswith(ALEMBIC_SETUP)


_ALEMBIC_SETUP_FILTER = _WithoutAlembicSetup()


def configure(level: str) -> None:
    """Log to stderr at the given level."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for name in TOKEN_IN_URLS:
        logging.getLogger(name).setLevel(logging.WARNING)
    if logging.getLogger().getEffectiveLevel() < logging.INFO:
        return  # DEBUG is for developers: the libraries' workings too
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    migrations = logging.getLogger("alembic.runtime.migration")
    if _ALEMBIC_SETUP_FILTER not in migrations.filters:
        migrations.addFilter(_ALEMBIC_SETUP_FILTER)
