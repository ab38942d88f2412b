"""Remember per parent whether the questions are read aloud to them.

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-06

A parent who reads little turns on "read the questions to me" (the language picker, or
/voice); every question then also comes as a voice note. Off for everyone until then.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the parents' read-aloud switch, off."""
    with op.batch_alter_table("parents") as table:
        table.add_column(
            sa.Column("read_aloud", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Drop the switch."""
    with op.batch_alter_table("parents") as table:
        table.drop_column("read_aloud")
