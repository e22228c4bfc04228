"""Card actions: who decided on a gift or took up a contact request, and when

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("gifts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_note", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("decided_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handled_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("handled_on", sa.Date(), nullable=True))


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("contact_requests", schema=None) as batch_op:
        batch_op.drop_column("handled_on")
        batch_op.drop_column("handled_by")
    with op.batch_alter_table("gifts", schema=None) as batch_op:
        batch_op.drop_column("decided_on")
        batch_op.drop_column("decided_by")
        batch_op.drop_column("decision_note")
