"""Teams addresses: tenants with their service URL, and the 1:1 chats of notification recipients

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 05:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "teams_tenants",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id"),
    )
    op.create_table(
        "teams_chats",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("aad_object_id", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.String(length=500), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "aad_object_id"),
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_table("teams_chats")
    op.drop_table("teams_tenants")
