"""Digests, follow-up, reminders: schedules per school, digest records, the mail outbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-08

Written out in full, like 0001. New columns on existing tables get a server default
where they are not nullable, so rows that exist already get a value. SQLite alters a
table by copying it, hence batch_alter_table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Change the schema to this revision."""
    op.create_table(
        "digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_code", sa.String(length=8), nullable=False),
        _timestamp("due_at"),
        _timestamp("created_at"),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("new_count", sa.Integer(), nullable=False),
        sa.Column("open_count", sa.Integer(), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_code"], ["schools.code"], name=op.f("fk_digests_school_code_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digests")),
        sa.UniqueConstraint("school_code", "due_at", name=op.f("uq_digests_school_code")),
    )
    op.create_index(op.f("ix_digests_school_code"), "digests", ["school_code"])
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attachment_name", sa.String(length=200), nullable=True),
        sa.Column("attachment", sa.Text(), nullable=True),
        _timestamp("created_at"),
        _timestamp("claimed_at", nullable=True),
        _timestamp("retry_at", nullable=True),
        _timestamp("sent_at", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["digest_id"],
            ["digests.id"],
            name=op.f("fk_mail_outbox_digest_id_digests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index(op.f("ix_mail_outbox_digest_id"), "mail_outbox", ["digest_id"])
    op.create_index("ix_mail_outbox_unsent", "mail_outbox", ["sent_at", "id"])

    with op.batch_alter_table("schools") as schools:
        schools.add_column(
            sa.Column(
                "digest_schedule",
                sa.String(length=100),
                nullable=False,
                server_default="mon-fri 15:30",
            )
        )
        schools.add_column(
            sa.Column("digest_language", sa.String(length=8), nullable=False, server_default="nl")
        )
        schools.add_column(
            sa.Column("digest_emails", sa.JSON(), nullable=False, server_default="[]")
        )
        schools.add_column(_timestamp("digest_due_at", nullable=True))
    with op.batch_alter_table("parents") as parents:
        parents.add_column(_timestamp("reminders_off_at", nullable=True))
    with op.batch_alter_table("sessions") as sessions:
        sessions.add_column(_timestamp("reminded_at", nullable=True))
    with op.batch_alter_table("staff") as staff:
        staff.add_column(_timestamp("inactive_at", nullable=True))
    with op.batch_alter_table("responses") as responses:
        responses.add_column(sa.Column("digest_id", sa.Integer(), nullable=True))
        responses.add_column(_timestamp("listed_at", nullable=True))
        responses.add_column(
            sa.Column(
                "followup_status", sa.String(length=16), nullable=False, server_default="open"
            )
        )
        responses.add_column(sa.Column("followup_staff_id", sa.Integer(), nullable=True))
        responses.add_column(_timestamp("followup_at", nullable=True))
        responses.create_foreign_key(
            op.f("fk_responses_digest_id_digests"),
            "digests",
            ["digest_id"],
            ["id"],
            ondelete="SET NULL",
        )
        responses.create_foreign_key(
            op.f("fk_responses_followup_staff_id_staff"),
            "staff",
            ["followup_staff_id"],
            ["id"],
            ondelete="SET NULL",
        )
        responses.create_index(op.f("ix_responses_digest_id"), ["digest_id"])


def downgrade() -> None:
    """Change the schema back to revision 0001."""
    with op.batch_alter_table("responses") as responses:
        responses.drop_index(op.f("ix_responses_digest_id"))
        responses.drop_constraint(op.f("fk_responses_followup_staff_id_staff"), type_="foreignkey")
        responses.drop_constraint(op.f("fk_responses_digest_id_digests"), type_="foreignkey")
        for column in ("followup_at", "followup_staff_id", "followup_status", "listed_at"):
            responses.drop_column(column)
        responses.drop_column("digest_id")
    with op.batch_alter_table("staff") as staff:
        staff.drop_column("inactive_at")
    with op.batch_alter_table("sessions") as sessions:
        sessions.drop_column("reminded_at")
    with op.batch_alter_table("parents") as parents:
        parents.drop_column("reminders_off_at")
    with op.batch_alter_table("schools") as schools:
        for column in ("digest_due_at", "digest_emails", "digest_language", "digest_schedule"):
            schools.drop_column(column)
    op.drop_table("mail_outbox")
    op.drop_table("digests")
