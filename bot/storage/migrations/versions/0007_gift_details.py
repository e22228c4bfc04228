"""Gift details: what the employee said the gift was, and the stable id of whoever decided on it (both encrypted)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("gifts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("decided_by_id", sa.Text(), nullable=True))


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("gifts", schema=None) as batch_op:
        batch_op.drop_column("decided_by_id")
        batch_op.drop_column("description")
