"""Alembic's entry point: run the migrations on the connection bot.storage.migrate hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.storage.models import Base


def run_online(connection: Connection) -> None:
    """Run the pending migrations on an open connection, inside its transaction."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters a table by copying it; batch mode writes migrations that way.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline(url: str) -> None:
    """Write the migrations as SQL for a database URL, without connecting."""
    context.configure(
        url=url,
        target_metadata=Base.metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Run the migrations the way Alembic was asked to."""
    config = context.config
    if context.is_offline_mode():
        run_offline(config.get_main_option("sqlalchemy.url") or "sqlite://")
        return
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations with bot.storage.migrate (`ouderbrug db upgrade`)")
    run_online(connection)


main()
