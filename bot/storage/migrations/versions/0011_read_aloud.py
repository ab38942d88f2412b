"""Remember per parent whether the questions are read aloud, and where voice notes played.

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-06

A parent who reads little turns on "read the questions to me" (the language picker, or
/voice); every question then also comes as a voice note. Off for everyone until then.
A family's voice-note answer that staff played is a message in their chat: voice_copies
names it, so that erasing the family deletes it there while Telegram allows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the parents' read-aloud switch, off, and the played copies of voice notes."""
    column: sa.Column[bool] = sa.Column(
        "read_aloud", sa.Boolean(), nullable=False, server_default=sa.false()
    )
    op.add_column("parents", column)
    op.create_table(
        "voice_copies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "response_id",
            sa.Integer(),
            sa.ForeignKey("responses.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_voice_copies_response_id", "voice_copies", ["response_id"])


def downgrade() -> None:
    """Drop the switch, in place.

    Not with batch_alter_table: on SQLite that copies the parents table and drops the
    old one, and dropping it cascades to every response, message link and session.
    SQLite drops a column in place since 3.35 (Debian 12, the image's base, has 3.40).
    """
    op.drop_index("ix_voice_copies_response_id", table_name="voice_copies")
    op.drop_table("voice_copies")
    op.drop_column("parents", "read_aloud")
