"""Exactly once: submissions, reference counters, outbox claims and idempotency keys

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NUMBERED = ("cases", "gifts", "contact_requests")


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", "org", "year"),
    )
    # Numbering goes on from the highest number each organisation already used.
    for table in NUMBERED:
        op.execute(
            f"INSERT INTO counters (name, org, year, value) "
            f"SELECT '{table}', org, year, MAX(number) FROM {table} GROUP BY org, year"
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
    op.execute("UPDATE outbox SET idempotency_key = 'legacy-' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("idempotency_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index("ix_outbox_idempotency_key", ["idempotency_key"], unique=True)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_idempotency_key")
        batch_op.drop_column("idempotency_key")
        batch_op.drop_column("claimed_until")
    op.drop_table("counters")
    op.drop_table("submissions")
