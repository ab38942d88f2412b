"""Keep each flow revision as its parsed definition, so sessions never need today's parser.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

A session under way names the revision it started on. Until now the bot parsed that
revision's stored YAML again when it needed it, inside the parent's update: the session
depended on the loader of the day, and reading the revision opened a second connection.
The definition column holds what bot.flowfiles.stored writes, with its format number.

Existing rows are parsed once, here. A source that no longer parses keeps NULL: the bot
reports that revision as not usable, as it did before, and the upgrade goes on. Those
sources predate a flow's `meaning:`, so each keeps the meaning the bot gave it then.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

_versions = sa.table(
    "flow_versions",
    sa.column("revision", sa.String()),
    sa.column("source", sa.Text()),
    sa.column("definition", sa.JSON()),
)


def upgrade() -> None:
    """Change the schema to this revision."""
    # A nullable column without a default: SQLite adds it in place, without a table copy.
    op.add_column("flow_versions", sa.Column("definition", sa.JSON(), nullable=True))
    # Imported here, not at the top: reading the migration must not load the flow parser.
    from bot.flowfiles.loader import parse_flow
    from bot.flowfiles.stored import dump_from_before_meaning

    connection = op.get_bind()
    rows = connection.execute(sa.select(_versions.c.revision, _versions.c.source)).all()
    for row in rows:
        try:
            flow = parse_flow(row.source.encode("utf-8"), f"<stored {row.revision}>").flow
        except Exception:
            # One revision the parser of today cannot read must not stop the upgrade.
            log.exception("flow revision %s could not be parsed", row.revision)
            flow = None
        if flow is None:
            log.warning("flow revision %s no longer parses; it stays unusable", row.revision)
            continue
        connection.execute(
            sa.update(_versions)
            .where(_versions.c.revision == row.revision)
            .values(definition=dump_from_before_meaning(flow))
        )


def downgrade() -> None:
    """Return the schema to the previous revision."""
    # In place on SQLite too (3.35 and later), as 0006 drops its column.
    op.drop_column("flow_versions", "definition")
