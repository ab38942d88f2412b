"""Durable storage: SQLAlchemy models, the database engine and Alembic migrations."""
