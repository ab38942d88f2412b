"""Messages to many families: the broadcast, and one row per family that received it.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-06

A family's row is written in the transaction that queues its outbox message, and is
unique per broadcast, so a broadcast resumed after a crash never queues a family twice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Change the schema to this revision."""
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("need", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("school_code", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_broadcasts_staff_id_staff", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["school_code"], ["schools.code"], name="fk_broadcasts_school_code_schools"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_broadcasts"),
        sa.UniqueConstraint("key", name="uq_broadcasts_key"),
    )
    op.create_table(
        "broadcast_families",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("translated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["broadcast_id"],
            ["broadcasts.id"],
            name="fk_broadcast_families_broadcast_id_broadcasts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["parents.id"],
            name="fk_broadcast_families_parent_id_parents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
            name="fk_broadcast_families_outbox_id_outbox",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_broadcast_families"),
        sa.UniqueConstraint("broadcast_id", "parent_id", name="uq_broadcast_families_broadcast_id"),
    )
    for column in ("broadcast_id", "parent_id", "outbox_id"):
        op.create_index(
            f"ix_broadcast_families_{column}", "broadcast_families", [column], unique=False
        )


def downgrade() -> None:
    """Return the schema to the previous revision."""
    op.drop_table("broadcast_families")
    op.drop_table("broadcasts")
