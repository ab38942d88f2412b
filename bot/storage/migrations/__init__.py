"""Alembic migrations of the tables in bot.storage.models; run them with bot.storage.migrate."""
