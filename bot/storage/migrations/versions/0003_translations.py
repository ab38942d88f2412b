"""Add the translations table: machine translations of parents' free-text answers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Self-contained: it creates only its own table, so it can follow any revision that
has the sessions table. Written out in full, like 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Change the schema to this revision."""
    op.create_table(
        "translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=False),
        sa.Column("source_language", sa.String(length=8), nullable=False),
        sa.Column("target_language", sa.String(length=8), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("package", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_translations_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translations")),
        # The naming convention names a unique constraint by its first column only.
        sa.UniqueConstraint(
            "session_id",
            "step_id",
            "target_language",
            name=op.f("uq_translations_session_id"),
        ),
    )
    op.create_index(
        "ix_translations_same_text",
        "translations",
        ["source_language", "target_language", "source_hash"],
    )
    op.create_index("ix_translations_status", "translations", ["status"])


def downgrade() -> None:
    """Change the schema back to the previous revision: no translations table."""
    op.drop_table("translations")
