"""Several live flows, and answers changed after sending.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-06

A school may have its own default flow (schools.flow_id), and a parent link may carry a
flow: such a link's payload is a random token, kept in parent_links, so nobody can make
one for a flow or school it was not given out for. A parent remembers the flow of the
link they came by (parents.arrival_flow) until a session starts on it.

A finished family may change its answers. The session that does so names the response
it changes (sessions.amends_response_id, no foreign key: the two tables already name
each other, and erasing a parent removes both). The response keeps the answers its
school last saw (previous_answers) and when they changed (changed_at), so the next
digest lists the family once more, as updated, with what changed.

Every new column is nullable without a default: SQLite adds each in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Change the schema to this revision."""
    op.add_column("schools", sa.Column("flow_id", sa.String(64), nullable=True))
    op.add_column("parents", sa.Column("arrival_flow", sa.String(64), nullable=True))
    op.add_column("sessions", sa.Column("amends_response_id", sa.Integer(), nullable=True))
    op.add_column("responses", sa.Column("previous_answers", sa.JSON(), nullable=True))
    op.add_column("responses", sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "parent_links",
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("school_code", sa.String(8), nullable=False),
        sa.Column("flow_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_code"],
            ["schools.code"],
            name=op.f("fk_parent_links_school_code_schools"),
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_parent_links")),
        sa.UniqueConstraint("school_code", "flow_id", name=op.f("uq_parent_links_school_code")),
    )


def downgrade() -> None:
    """Return the schema to the previous revision."""
    op.drop_table("parent_links")
    op.drop_column("responses", "changed_at")
    op.drop_column("responses", "previous_answers")
    op.drop_column("sessions", "amends_response_id")
    op.drop_column("parents", "arrival_flow")
    op.drop_column("schools", "flow_id")
