"""The web dashboard: needs per response, pupils per school, sign-in links, audit trail.

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-06

The overview counts needs, follow-up states, languages and drop-off from indexes, so a
page view never reads every stored answer. Sessions keep the question they stand at
beside their state (filled here from the state of each existing session).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_sessions = sa.table(
    "sessions",
    sa.column("id", sa.Integer()),
    sa.column("state", sa.JSON()),
    sa.column("at_step", sa.String()),
)


def upgrade() -> None:
    """Change the schema to this revision."""
    op.create_table(
        "response_needs",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("need", sa.String(length=32), nullable=False),
        sa.Column("school_code", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_response_needs_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "need", name=op.f("pk_response_needs")),
    )
    op.create_index("ix_response_needs_school_need", "response_needs", ["school_code", "need"])
    op.create_table(
        "signin_links",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_signin_links")),
    )
    op.create_index(op.f("ix_signin_links_telegram_user_id"), "signin_links", ["telegram_user_id"])
    op.create_table(
        "dashboard_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_audit")),
    )
    op.create_index(op.f("ix_dashboard_audit_at"), "dashboard_audit", ["at"])
    op.create_index(
        op.f("ix_dashboard_audit_telegram_user_id"), "dashboard_audit", ["telegram_user_id"]
    )
    op.add_column("schools", sa.Column("pupils", sa.Integer(), nullable=True))
    op.add_column("schools", sa.Column("pupils_year", sa.Integer(), nullable=True))
    op.add_column("sessions", sa.Column("at_step", sa.String(length=64), nullable=True))
    op.create_index("ix_sessions_dropoff", "sessions", ["flow_revision", "status", "at_step"])
    op.create_index(
        "ix_responses_school_followup",
        "responses",
        ["school_code", "followup_status", "completed_at"],
    )
    op.create_index("ix_responses_completed_language", "responses", ["completed_at", "language"])
    connection = op.get_bind()
    for row in connection.execute(sa.select(_sessions.c.id, _sessions.c.state)).all():
        current = (row.state or {}).get("current")
        if current:
            connection.execute(
                sa.update(_sessions).where(_sessions.c.id == row.id).values(at_step=current)
            )


def downgrade() -> None:
    """Return the schema to the previous revision."""
    op.drop_index("ix_responses_completed_language", "responses")
    op.drop_index("ix_responses_school_followup", "responses")
    op.drop_index("ix_sessions_dropoff", "sessions")
    op.drop_column("sessions", "at_step")
    op.drop_column("schools", "pupils_year")
    op.drop_column("schools", "pupils")
    op.drop_table("dashboard_audit")
    op.drop_table("signin_links")
    op.drop_table("response_needs")
