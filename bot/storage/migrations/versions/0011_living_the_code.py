"""Living the code: signing campaigns with their register, and dilemma polls with team schedules

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("code_version", sa.String(length=80), nullable=True),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("owner_name", sa.Text(), nullable=False),
        sa.Column("remind_after_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("org", "reference", name="uq_campaigns_org_reference"),
    )
    op.create_table(
        "attestations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("address", sa.JSON(), nullable=True),
        sa.Column("code_version", sa.String(length=80), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outbox_key", sa.String(length=64), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("org", "source", "person", name="uq_attestations_person"),
    )
    op.create_index("ix_attestations_person", "attestations", ["org", "person"])
    op.create_table(
        "dilemma_polls",
        sa.Column("id", sa.String(length=24), primary_key=True),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("dilemma", sa.String(length=80), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("place", sa.String(length=500), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("poster", sa.String(length=64), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tally", sa.JSON(), nullable=True),
    )
    op.create_index("ix_dilemma_polls_open", "dilemma_polls", ["closed_at", "closes_at"])
    op.create_table(
        "dilemma_votes",
        sa.Column(
            "poll_id", sa.String(length=24), sa.ForeignKey("dilemma_polls.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("voter", sa.String(length=64), primary_key=True),
        sa.Column("choice", sa.Integer(), nullable=False),
    )
    op.create_table(
        "dilemma_schedules",
        sa.Column("channel", sa.String(length=20), primary_key=True),
        sa.Column("place", sa.String(length=500), primary_key=True),
        sa.Column("org", sa.String(length=80), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("service_url", sa.String(length=500), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("open_days", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    """Revert this migration."""
    for table in ("dilemma_schedules", "dilemma_votes", "dilemma_polls", "attestations", "campaigns"):
        op.drop_table(table)
