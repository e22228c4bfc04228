"""Code version: the version of the organisation's code under which a report or a gift was filed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this migration."""
    for table in ("cases", "gifts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("code_version", sa.String(length=80), nullable=True))


def downgrade() -> None:
    """Revert this migration."""
    for table in ("cases", "gifts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("code_version")
