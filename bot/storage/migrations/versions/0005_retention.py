"""Retention: the figures of a year, kept when its records are deleted

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "year_figures",
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("kept_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("org", "year"),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("year_figures")
