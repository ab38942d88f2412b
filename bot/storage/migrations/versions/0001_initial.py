"""Create the first tables: schools, parents, flow versions, sessions, responses, staff, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-12-01

Written out in full rather than from the models, so that later changes to models.py
never change what this revision did. Constraint names follow Base.metadata's
naming convention and are spelled out (op.f) so every database gets the same ones.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Change the schema to this revision."""
    op.create_table(
        "schools",
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("house_number", sa.String(length=20), nullable=True),
        sa.Column("postcode", sa.String(length=10), nullable=True),
        sa.Column("town", sa.String(length=100), nullable=True),
        sa.Column("municipality", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("website", sa.String(length=200), nullable=True),
        sa.Column("sector", sa.String(length=2), nullable=True),
        sa.Column("staff_token", sa.String(length=64), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_schools")),
        sa.UniqueConstraint("staff_token", name=op.f("uq_schools_staff_token")),
    )
    op.create_table(
        "parents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("arrival_school", sa.String(length=8), nullable=True),
        _timestamp("blocked_at", nullable=True),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parents")),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_parents_telegram_user_id")),
    )
    op.create_table(
        "flow_versions",
        sa.Column("revision", sa.String(length=64), nullable=False),
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        _timestamp("loaded_at"),
        sa.PrimaryKeyConstraint("revision", name=op.f("pk_flow_versions")),
    )
    op.create_index(op.f("ix_flow_versions_flow_id"), "flow_versions", ["flow_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("flow_revision", sa.String(length=64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("child_number", sa.Integer(), nullable=False),
        _timestamp("started_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["parents.id"],
            name=op.f("fk_sessions_parent_id_parents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["flow_revision"],
            ["flow_versions.revision"],
            name=op.f("fk_sessions_flow_revision_flow_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index("ix_sessions_parent_status", "sessions", ["parent_id", "status"])
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("school_code", sa.String(length=8), nullable=True),
        sa.Column("school_query", sa.String(length=200), nullable=True),
        sa.Column("flow_id", sa.String(length=64), nullable=False),
        sa.Column("flow_revision", sa.String(length=64), nullable=False),
        sa.Column("flow_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("child_number", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        _timestamp("completed_at"),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["parents.id"],
            name=op.f("fk_responses_parent_id_parents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_responses_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_code"], ["schools.code"], name=op.f("fk_responses_school_code_schools")
        ),
        sa.ForeignKeyConstraint(
            ["flow_revision"],
            ["flow_versions.revision"],
            name=op.f("fk_responses_flow_revision_flow_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
        sa.UniqueConstraint("session_id", name=op.f("uq_responses_session_id")),
    )
    op.create_index(op.f("ix_responses_parent_id"), "responses", ["parent_id"])
    op.create_index("ix_responses_school_completed", "responses", ["school_code", "completed_at"])
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_code", sa.String(length=8), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        _timestamp("joined_at"),
        _timestamp("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["school_code"], ["schools.code"], name=op.f("fk_staff_school_code_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        # The naming convention names a unique constraint by its first column only.
        sa.UniqueConstraint("school_code", "telegram_user_id", name=op.f("uq_staff_school_code")),
    )
    op.create_index(op.f("ix_staff_school_code"), "staff", ["school_code"])
    op.create_index(op.f("ix_staff_telegram_user_id"), "staff", ["telegram_user_id"])
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        _timestamp("processed_at"),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_processed_updates")),
    )
    op.create_index(
        op.f("ix_processed_updates_processed_at"), "processed_updates", ["processed_at"]
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _timestamp("created_at"),
        _timestamp("claimed_at", nullable=True),
        _timestamp("sent_at", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["parents.id"],
            name=op.f("fk_outbox_parent_id_parents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index(op.f("ix_outbox_parent_id"), "outbox", ["parent_id"])
    op.create_index("ix_outbox_unsent", "outbox", ["sent_at", "id"])


def downgrade() -> None:
    """Change the schema back to the previous revision: no tables at all."""
    # Dependents first, so no foreign key points at a dropped table.
    for table in (
        "outbox",
        "processed_updates",
        "staff",
        "responses",
        "sessions",
        "flow_versions",
        "parents",
        "schools",
    ):
        op.drop_table(table)
