"""Conversations between a school and a family, and what they need of the staff and outbox.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Staff write to a family and the family answers: each message is stored with its
translation and how its delivery ended. The outbox keeps the id Telegram gave each
message it delivered, so that a reply to that message (on either side) is traced back
to its conversation. Every added column is nullable (or has a server default), so
SQLite adds it in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Change the schema to this revision."""
    op.create_table(
        "conversation_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "parent_id",
            sa.Integer(),
            sa.ForeignKey("parents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("school_code", sa.String(8), sa.ForeignKey("schools.code"), nullable=False),
        sa.Column("response_id", sa.Integer(), sa.ForeignKey("responses.id", ondelete="SET NULL")),
        sa.Column("author", sa.String(8), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id", ondelete="SET NULL")),
        sa.Column("staff_name", sa.String(60)),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("translation", sa.Text()),
        sa.Column("untranslated", sa.Boolean(), nullable=False),
        sa.Column("media", sa.String(20)),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("telegram_message_id", sa.BigInteger()),
        sa.Column("outbox_id", sa.Integer(), sa.ForeignKey("outbox.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_conversation_family", "conversation_messages", ["parent_id", "school_code", "id"]
    )
    op.create_index(
        "ix_conversation_messages_school_code", "conversation_messages", ["school_code"]
    )
    op.create_index("ix_conversation_messages_outbox_id", "conversation_messages", ["outbox_id"])
    op.create_index("ix_conversation_messages_created_at", "conversation_messages", ["created_at"])
    op.add_column("staff", sa.Column("display_name", sa.String(60)))
    op.add_column("staff", sa.Column("awaiting", sa.String(32)))
    op.add_column("staff", sa.Column("awaiting_since", sa.DateTime(timezone=True)))
    op.add_column("parents", sa.Column("answering_school", sa.String(8)))
    op.add_column("outbox", sa.Column("telegram_message_id", sa.BigInteger()))
    op.create_index("ix_outbox_telegram_message", "outbox", ["chat_id", "telegram_message_id"])


def downgrade() -> None:
    """Change the schema back to the previous revision."""
    op.drop_table("conversation_messages")
    op.drop_index("ix_outbox_telegram_message", table_name="outbox")
    # In place on SQLite too (3.35 and later), as 0006 drops its column: a copy of the
    # outbox would drop the old table, and with it every link in outbox_families.
    op.drop_column("outbox", "telegram_message_id")
    op.drop_column("parents", "answering_school")
    op.drop_column("staff", "awaiting_since")
    op.drop_column("staff", "awaiting")
    op.drop_column("staff", "display_name")
