"""Number each claim of an outbox message, so a sender can tell it still holds its claim.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

A sender that waited (a flood wait, a slow network) may have lost its claim to another
process's sweep; it compares the number it claimed with before it sends. Existing rows
start at 0, the number a freshly queued message has.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Change the schema to this revision."""
    # A constant default: SQLite adds such a column in place, without a table copy.
    op.add_column("outbox", sa.Column("claim", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    """Return the schema to the previous revision."""
    # In place on SQLite too (3.35 and later): a copy of the table would drop the old
    # one, and with it, by ON DELETE CASCADE, every link in outbox_families.
    op.drop_column("outbox", "claim")
