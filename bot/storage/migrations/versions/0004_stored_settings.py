"""Add the stored_settings table: values the running bot learned, such as its username.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

Self-contained: it creates only its own table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Change the schema to this revision."""
    op.create_table(
        "stored_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stored_settings")),
    )


def downgrade() -> None:
    """Change the schema back to the previous revision: no stored_settings table."""
    op.drop_table("stored_settings")
