"""Link staff messages and e-mails to the families they carry, so an erase can recall them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Self-contained: it creates only its own two tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Change the schema to this revision."""
    op.create_table(
        "outbox_families",
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
            name=op.f("fk_outbox_families_outbox_id_outbox"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_outbox_families_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["digest_id"],
            ["digests.id"],
            name=op.f("fk_outbox_families_digest_id_digests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("outbox_id", "response_id", name=op.f("pk_outbox_families")),
    )
    op.create_index(op.f("ix_outbox_families_response_id"), "outbox_families", ["response_id"])
    op.create_index(op.f("ix_outbox_families_digest_id"), "outbox_families", ["digest_id"])
    op.create_table(
        "mail_families",
        sa.Column("mail_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mail_id"],
            ["mail_outbox.id"],
            name=op.f("fk_mail_families_mail_id_mail_outbox"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_mail_families_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mail_id", "response_id", name=op.f("pk_mail_families")),
    )
    op.create_index(op.f("ix_mail_families_response_id"), "mail_families", ["response_id"])


def downgrade() -> None:
    """Change the schema back to the previous revision: no links from messages to families."""
    op.drop_table("mail_families")
    op.drop_table("outbox_families")
